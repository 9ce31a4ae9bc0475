// Appends "a" to body.trail: chained after trail-b, the trail shows the order the transforms ran in.
Body!["trail"] = (Body["trail"]?.ToString() ?? "") + "a";
