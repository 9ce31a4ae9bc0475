// Wraps a JSON error body in an envelope; leaves any other body alone.
if (Body is null) return;
Body = new JsonObject { ["error"] = new JsonObject { ["status"] = Status, ["upstream"] = Body.DeepClone() } };
