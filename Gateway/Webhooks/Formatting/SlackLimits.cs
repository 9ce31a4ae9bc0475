namespace Gateway.Webhooks.Formatting;

/// <summary>Slack's documented limits for an incoming-webhook message, which rendering keeps within.</summary>
internal static class SlackLimits
{
    /// <summary>Characters in a message's top-level <c>text</c>.</summary>
    public const int MessageText = 40_000;

    /// <summary>Blocks in one message.</summary>
    public const int Blocks = 50;

    /// <summary>Characters in a header block's plain text.</summary>
    public const int HeaderText = 150;

    /// <summary>Characters in a section block's text.</summary>
    public const int SectionText = 3_000;

    /// <summary>Fields in one section block.</summary>
    public const int SectionFields = 10;

    /// <summary>Characters in one section field.</summary>
    public const int FieldText = 2_000;
}
