// Answers a legacy client in plain text.
Text = $"{Status} {Body?["message"]}";
