// Appends "b" to body.trail.
Body!["trail"] = (Body["trail"]?.ToString() ?? "") + "b";
