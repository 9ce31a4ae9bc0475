// Answers in plain text, without choosing a Content-Type.
Text = $"{Status} {Request.Termination}: please try again later";
