// Answers with an HTML page.
Headers["Content-Type"] = "text/html; charset=utf-8";
Text = $"<!DOCTYPE html><title>{Status}</title><h1>Error {Status}</h1><p>{Request.Termination}</p>";
