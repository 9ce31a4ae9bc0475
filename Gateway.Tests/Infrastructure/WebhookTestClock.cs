namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when told, for the webhook rules that depend on the time of day (fold windows, warning
/// intervals). Only <see cref="GetUtcNow"/> is faked: timers and delays still run in real time, so the gateway's tick
/// keeps ticking and simply reads this clock.
/// </summary>
/// <remarks>Microsoft.Extensions.TimeProvider.Testing's FakeTimeProvider would do, but the test project does not reference it.</remarks>
internal sealed class WebhookTestClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
