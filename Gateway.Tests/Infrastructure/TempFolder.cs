namespace Gateway.Tests.Infrastructure;

/// <summary>A folder of its own under the system's temp folder for one test or fixture, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates <c>{temp}/{prefix}{random}</c>.</summary>
    public TempFolder(string prefix) => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>The full path of <paramref name="relativePath"/> inside the folder.</summary>
    public string Combine(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a child process still closing its files must not fail the test; the OS cleans temp folders.
        }
    }
}
