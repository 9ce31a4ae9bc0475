// Tells the default webhook destination (Slack) about the failure: "<METHOD> <host><path> → <status>: <message>".
// Sending only queues the message: the client's response never waits on Slack.
// An upstream's error body can be a whole HTML page: keep the alert to one short line.
var message = Body?["message"]?.ToString() ?? Text ?? "(no message)";
message = message.ReplaceLineEndings(" ");
if (message.Length > 300) message = message[..300] + "…";
Webhooks.Send($"{Request.Method} {Request.Host}{Request.Path} → {Status}: {message}");
