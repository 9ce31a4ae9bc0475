namespace Gateway.Coordination;

/// <summary>The event ids of the Redis coordination log messages, in one place: 50xx.</summary>
internal static class CoordinationEventIds
{
    public const int Connecting = 5001;
    public const int ConnectFailed = 5002;
    public const int FellBack = 5003;
    public const int Restored = 5004;
}
