namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A test that needs a real headless browser. Required in CI (<c>CI=true</c>, where <c>.ci/run</c> installs chromium);
/// skipped, with a message that says how to install it, on a developer's machine without chromium.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (HeadlessChromium.Path is null && !HeadlessChromium.InCi)
        {
            Skip = "chromium is not installed (apt-get install -y chromium); CI installs it and requires this test";
        }
    }
}
