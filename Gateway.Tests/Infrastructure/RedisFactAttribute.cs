namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A test that needs a real <c>redis-server</c>. Required in CI (<c>CI=true</c>, where <c>.ci/run</c> installs it);
/// skipped, with a message that says how to install it, on a developer's machine without it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Executable is null && !HeadlessChromium.InCi)
        {
            Skip = "redis-server is not installed (apt-get install -y redis-server); CI installs it and requires this test";
        }
    }
}
