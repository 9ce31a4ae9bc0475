namespace Gateway.Tests.Webhooks;

/// <summary>
/// Storm tests load both cores for a few seconds: they run on their own, after the parallel tests, so that neither
/// disturbs the other's timing.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WebhookStormGroup
{
    public const string Name = "Webhook storms";
}
