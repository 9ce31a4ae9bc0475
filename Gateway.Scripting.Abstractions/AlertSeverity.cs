namespace Gateway.Scripting;

/// <summary>How serious a <see cref="WebhookAlert"/> is. Slack shows it as the colour of the message's side bar.</summary>
public enum AlertSeverity
{
    /// <summary>For information; nothing needs doing. Blue.</summary>
    Info,

    /// <summary>Something looks wrong and may need attention. Yellow.</summary>
    Warning,

    /// <summary>Something failed. Red.</summary>
    Error,

    /// <summary>Something failed badly and needs attention now. Dark red.</summary>
    Critical,
}
