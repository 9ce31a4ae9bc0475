namespace Gateway.Tests.Infrastructure;

/// <summary>How <see cref="SlackStandIn"/> answers one post: Slack's answers and failures, for delivery tests.</summary>
internal sealed record SlackAnswer(SlackAnswer.Kinds Kind, int Status = 200, string Body = "ok", int? RetryAfterSeconds = null, TimeSpan Delay = default)
{
    public enum Kinds
    {
        Respond,
        Hang,
        Reset,
    }

    /// <summary>200 <c>ok</c>, as Slack answers a good post.</summary>
    public static SlackAnswer Ok { get; } = new(Kinds.Respond);

    /// <summary>429 with <c>Retry-After</c>, as Slack answers a webhook over its rate.</summary>
    public static SlackAnswer TooManyRequests(int retryAfterSeconds) => new(Kinds.Respond, 429, "rate_limited", retryAfterSeconds);

    /// <summary>500, as Slack answers when it is having trouble.</summary>
    public static SlackAnswer ServerError { get; } = new(Kinds.Respond, 500, "internal_error");

    /// <summary>400 with Slack's error code, e.g. <c>invalid_payload</c>.</summary>
    public static SlackAnswer BadRequest(string error) => new(Kinds.Respond, 400, error);

    /// <summary>404 <c>no_service</c>, as Slack answers a revoked webhook.</summary>
    public static SlackAnswer NoService { get; } = new(Kinds.Respond, 404, "no_service");

    /// <summary>200 <c>ok</c>, after <paramref name="delay"/>.</summary>
    public static SlackAnswer Slow(TimeSpan delay) => new(Kinds.Respond, Delay: delay);

    /// <summary>Never answers (until the client gives up or the stand-in stops).</summary>
    public static SlackAnswer Hang { get; } = new(Kinds.Hang);

    /// <summary>Aborts the connection without an answer.</summary>
    public static SlackAnswer Reset { get; } = new(Kinds.Reset);
}
