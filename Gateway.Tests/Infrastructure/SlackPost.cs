namespace Gateway.Tests.Infrastructure;

/// <summary>A post <see cref="SlackStandIn"/> received: its body, when, and how it was answered.</summary>
/// <param name="Body">The request body.</param>
/// <param name="At">When it arrived, from the stand-in's start.</param>
/// <param name="Answer">How it was answered.</param>
internal sealed record SlackPost(string Body, TimeSpan At, SlackAnswer Answer);
