// Tells the default webhook destination (Slack) about the failure: "<METHOD> <host><path> → <status>: <message>".
// Sending only queues the message: the client's response never waits on Slack.
var message = Body?["message"]?.ToString() ?? Text ?? "(no message)";
Webhooks.Send($"{Request.Method} {Request.Host}{Request.Path} → {Status}: {message}");
