// Changes only a header, never the body: says what the transform was given.
Headers["x-transform-saw"] = Body is not null ? "json" : Text is not null ? "text" : "nothing";
