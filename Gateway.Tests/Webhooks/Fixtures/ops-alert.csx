// Sends a structured alert to the "ops" destination and a text to a destination that is not configured.
Webhooks.Send("ops", new WebhookAlert("Gateway termination")
{
    Text = $"{Request.Method} {Request.Path} → {Status}",
    Severity = Status >= 500 ? AlertSeverity.Critical : AlertSeverity.Warning,
    Fields = new Dictionary<string, string> { ["Route"] = Request.RouteId ?? "(none)" },
});
Webhooks.Send("nowhere", "lost");
