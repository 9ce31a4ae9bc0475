namespace Gateway.Scripting.Sandbox;

/// <summary>Paths with every symbolic link resolved, so a link inside the transforms folder cannot lead out of it.</summary>
internal static class RealPath
{
    public static string Of(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                current = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? current;
            }
        }

        return current;
    }

    public static bool IsInside(string path, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Of(folder)) + Path.DirectorySeparatorChar;
        return Of(path).StartsWith(root, StringComparison.Ordinal);
    }
}
