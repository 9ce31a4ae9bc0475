// The seed: mark the response with a header and reshape the gateway's {"message": "..."} body.
if (Body?["message"] is not JsonValue message) return;
Headers["x-some-header"] = "some value";
Body = new JsonObject { ["error"] = true, ["status"] = Status, ["message"] = $"{message}, arr!" };
