namespace Gateway.Hosting;

/// <summary>
/// The event id of every log message the gateway writes, in one place (as YARP keeps its <c>EventIds</c>): one
/// range per folder, so that an id says where a message comes from, and each id is used once (a test checks both).
/// </summary>
/// <remarks>
/// 10xx compiling transforms, 11xx reloading them, 12xx the compiler process (<c>Compilation/</c>); 20xx/21xx the transform-host pool (<c>Isolation/</c>); 30xx exits; 40xx sending webhooks, 41xx delivering them; 50xx the demo upstream; 60xx the
/// management listener; 70xx Redis (<c>Coordination/</c>).
/// </remarks>
internal static class EventIds
{
    // Transforms/: compiling at start-up and on reload.
    public const int TransformsCompiled = 1001;
    public const int NoTransforms = 1002;
    public const int TransformCompileWarning = 1003;
    public const int UnboundTransformCompileError = 1004;
    public const int TransformReloadRefused = 1005;
    public const int TransformKeptLastGood = 1006;

    // Transforms/: hot reload.
    public const int TransformsReloaded = 1101;
    public const int TransformsReloadFailed = 1102;
    public const int TransformsFolderMissing = 1103;
    public const int TransformsReloadPartlyRefused = 1104;
    public const int TransformsWatching = 1105;
    public const int TransformSettingsRefused = 1106;
    public const int TransformSettingNeedsRestart = 1107;

    // Compilation/: the compiler process.
    public const int CompilerStarted = 1201;
    public const int CompilerIdleStopped = 1202;
    public const int CompilerKilled = 1203;
    public const int CompilerFailed = 1204;
    public const int CompilerCacheEntryRefused = 1205;
    public const int CompilerCacheWriteFailed = 1206;
    public const int CompilerCacheFolderRefused = 1207;

    // Isolation/: the transform-host pool. 20xx are a run's own events, declared with their one text in
    // Gateway.Scripting's TransformLog: the in-process runner and the pool (for the runs its hosts made) both write them.
    public const int TransformFailed = Gateway.Scripting.Execution.TransformLog.TransformFailedId;
    public const int TransformBudgetBreached = Gateway.Scripting.Execution.TransformLog.BudgetBreachedId;
    public const int TransformOverran = Gateway.Scripting.Execution.TransformLog.OverranId;
    public const int TransformOverrunStopped = Gateway.Scripting.Execution.TransformLog.OverrunStoppedId;
    public const int TransformQuarantined = Gateway.Scripting.Execution.TransformLog.QuarantinedId;
    public const int TransformQuarantinedSkip = Gateway.Scripting.Execution.TransformLog.QuarantinedSkipId;
    public const int TransformNotRun = Gateway.Scripting.Execution.TransformLog.NotRunId;
    public const int TransformWatchdogFailed = Gateway.Scripting.Execution.TransformLog.WatchdogFailedId;
    public const int TransformHostsStarted = 2101;
    public const int TransformHostStarted = 2102;
    public const int TransformHostCrashed = 2103;
    public const int TransformHostReplaced = 2104;
    public const int TransformHostKilled = 2105;
    public const int TransformHostsWarmUpSlow = 2106;
    public const int TransformHostEnded = 2107;
    public const int TransformHostStuckStopped = 2108;

    // Exits/. 3004 and 3007 were the upstream responder's own "cannot be written" events: ExitUnwritable is the one now.
    public const int ExitUnwritable = 3001;
    public const int UnhandledException = 3002;
    public const int UpstreamBodyNotBuffered = 3003;
    public const int ForwarderFailed = 3005;
    public const int ForwarderException = 3006;

    // Webhooks/: sending (a script's Webhooks.Send).
    public const int WebhookDropped = 4001;
    public const int WebhookUnknownDestination = 4002;
    public const int WebhookSendFailed = 4003;

    // Webhooks/Delivery/.
    public const int WebhookLoggedInsteadOfSent = 4101;
    public const int WebhookRejected = 4102;
    public const int WebhookGaveUp = 4103;
    public const int WebhookRepeatedFailures = 4104;
    public const int WebhookDrained = 4105;
    public const int WebhookUndelivered = 4106;
    public const int WebhookTickFailed = 4107;

    // DemoUpstream/.
    public const int DemoUpstreamListening = 5001;

    // Management/.
    public const int ManagementListening = 6001;
    public const int ManagementDisabled = 6002;

    // Coordination/: Redis shared by replicas.
    public const int RedisConnecting = 7001;
    public const int RedisConnectFailed = 7002;
    public const int RedisFellBack = 7003;
    public const int RedisRestored = 7004;
}
