using System.Runtime.CompilerServices;

namespace Gateway.Scripting.Testing;

/// <summary>Finds a transform's real file from a test, wherever the test binaries were built.</summary>
public static class TransformFiles
{
    /// <summary>
    /// Finds <paramref name="relativePath"/> (e.g. <c>Transforms/arr.csx</c>) in the folder of the calling source
    /// file or one above it, else in the current directory or the test binaries' folder or one above them. The
    /// source tree comes first, so a test loads the file you edit rather than a copy next to the binaries.
    /// </summary>
    /// <param name="relativePath">The path relative to some folder above the test, e.g. the repository root.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the calling source file.</param>
    /// <returns>The full path of the file.</returns>
    /// <exception cref="FileNotFoundException">No folder on the way up holds the file.</exception>
    public static string Find(string relativePath, [CallerFilePath] string callerFilePath = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        string?[] starts = [Path.GetDirectoryName(callerFilePath), Environment.CurrentDirectory, AppContext.BaseDirectory];
        foreach (var start in starts)
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new FileNotFoundException(
            $"{relativePath} was not found above {callerFilePath}, {Environment.CurrentDirectory} or {AppContext.BaseDirectory}.", relativePath);
    }
}
