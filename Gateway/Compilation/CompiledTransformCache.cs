using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Scripting.Compilation;
using Gateway.Scripting.Isolation;
using Gateway.Scripting.Sandbox;

namespace Gateway.Compilation;

/// <summary>
/// Compiled transforms kept across restarts (<c>Gateway:Transforms:Compiler:Cache</c>), so that a restart with
/// unchanged transforms starts no compiler. An entry is keyed by everything that decides the compiler's output: the
/// transform's path and source, the content of every file it may <c>#load</c>, the compiler's identity (the module
/// versions of the compiler, sandbox and budget-rewriter assemblies, the runtime and its reference assemblies), the
/// transforms folder and the sandbox options. Only compiles that passed the sandbox are kept, and a hit loads what
/// that compile emitted. Each entry carries a SHA-256 of its content, checked on every read; an entry that does not
/// match, does not parse or cannot be read is a miss, logged, and the transform is recompiled. The folder is created
/// readable and writable by the gateway's user only (0700), and a folder others may write is not used: what guards an
/// entry from tampering is that only the gateway's user can write it, the same user that can replace the gateway.
/// </summary>
internal sealed partial class CompiledTransformCache
{
    private const string Magic = "GWTC1\n";

    // A directive may have blanks between '#' and its name: any of them makes the transform depend on other files.
    [GeneratedRegex(@"#[ \t]*load", RegexOptions.CultureInvariant)]
    private static partial Regex LoadDirective();

    private readonly string _folder;
    private readonly string _transformsFolder;
    private readonly string _settings;
    private readonly ILogger _logger;
    private readonly Lazy<bool> _usable;

    /// <summary>A cache in <paramref name="folder"/> for the transforms in <paramref name="transformsFolder"/>.</summary>
    /// <param name="folder">The cache's folder (created if missing).</param>
    /// <param name="transformsFolder">The transforms folder; part of every key.</param>
    /// <param name="sandbox">How the deployment widens the allow-list; part of every key.</param>
    /// <param name="logger">Where misses that are not plain misses, and an unusable folder, are logged.</param>
    public CompiledTransformCache(string folder, string transformsFolder, SandboxOptions sandbox, ILogger logger)
    {
        _folder = Path.GetFullPath(folder);
        _transformsFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(transformsFolder));
        _logger = logger;
        _settings = string.Join("\n",
            "transforms:" + _transformsFolder,
            "types:" + string.Join(",", sandbox.AllowedTypes.Order(StringComparer.Ordinal)),
            "namespaces:" + string.Join(",", sandbox.AllowedNamespaces.Order(StringComparer.Ordinal)),
            CompilerIdentity.Value);
        _usable = new(Open);
    }

    /// <summary>The cache's folder.</summary>
    public string Folder => _folder;

    /// <summary>
    /// The key of <paramref name="source"/> compiled as <paramref name="fullPath"/>, as things stand now; null when it
    /// is not to be cached (it may <c>#load</c>, and the folder holds a file whose content cannot be read without
    /// opening it blind: an empty one, or a pipe or device, which report no size).
    /// </summary>
    /// <param name="fullPath">The transform's full path.</param>
    /// <param name="source">Its text.</param>
    public string? KeyOf(string fullPath, string source)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, _settings);
        Append(hash, "path:" + fullPath);
        Append(hash, "source:" + source);
        if (LoadDirective().IsMatch(source))
        {
            // #load reaches only files inside the transforms folder (any of them, nested loads included): a transform
            // that loads is keyed by the whole folder's content, so that a change to any file it may load is a miss.
            foreach (var file in Directory.EnumerateFiles(_transformsFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (new FileInfo(file).Length == 0)
                {
                    // Opening a named pipe would wait for its writer: such a folder is compiled every time.
                    return null;
                }

                Append(hash, "file:" + file);
                Append(hash, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))));
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The compilation kept under <paramref name="key"/>, or null on a miss (logged unless the entry is absent).</summary>
    /// <param name="key">From <see cref="KeyOf"/>.</param>
    /// <param name="fullPath">The transform's full path, which the entry must name.</param>
    public TransformCompilation? Read(string key, string fullPath)
    {
        if (!_usable.Value)
        {
            return null;
        }

        var file = EntryPath(key);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogEntryRefused(_logger, file, fullPath, e.Message);
            return null;
        }

        var refusal = Decode(bytes, key, fullPath, out var compilation);
        if (refusal is not null)
        {
            LogEntryRefused(_logger, file, fullPath, refusal);
            TryDelete(file);
            return null;
        }

        return compilation;
    }

    /// <summary>Keeps <paramref name="compilation"/> under <paramref name="key"/>, if it compiled; a failure to write is logged.</summary>
    /// <param name="key">From <see cref="KeyOf"/>, computed before the compile.</param>
    /// <param name="compilation">What the compiler produced.</param>
    public void Write(string key, TransformCompilation compilation)
    {
        if (!compilation.Succeeded || !_usable.Value)
        {
            return;
        }

        var payload = Encoding.UTF8.GetBytes(key + "\n" + JsonSerializer.Serialize(CompiledFrame.From(0, compilation), CompileFrameJson.Default.CompiledFrame));
        var file = EntryPath(key);
        var temporary = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(Magic));
                stream.Write(SHA256.HashData(payload));
                stream.Write(payload);
            }

            // Readers see the whole entry or none: another gateway sharing the folder may be reading it.
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, file, compilation.FilePath, e.Message);
            TryDelete(temporary);
        }
    }

    private string EntryPath(string key) => Path.Combine(_folder, key + ".entry");

    private static string? Decode(byte[] bytes, string key, string fullPath, out TransformCompilation? compilation)
    {
        compilation = null;
        var header = Magic.Length + SHA256.HashSizeInBytes;
        if (bytes.Length <= header || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Encoding.ASCII.GetBytes(Magic)))
        {
            return "it is not a cache entry of this format";
        }

        var payload = bytes.AsSpan(header);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(Magic.Length, SHA256.HashSizeInBytes)))
        {
            return "its content does not match its hash";
        }

        var newline = payload.IndexOf((byte)'\n');
        if (newline < 0 || Encoding.UTF8.GetString(payload[..newline]) != key)
        {
            return "it was written for another key";
        }

        CompiledFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize(payload[(newline + 1)..], CompileFrameJson.Default.CompiledFrame);
        }
        catch (JsonException e)
        {
            return "it does not parse: " + e.Message;
        }

        var read = frame?.ToCompilation();
        if (read is not { Succeeded: true } || read.FilePath != fullPath || read.Errors.Any())
        {
            return "it does not hold a compiled transform of this file";
        }

        compilation = read;
        return null;
    }

    // Created 0700 if missing; refused (the cache is off, with a warning) if others may write it or it cannot be made.
    private bool Open()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(_folder);
                return true;
            }

            Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var mode = File.GetUnixFileMode(_folder);
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                LogFolderRefused(_logger, _folder, $"its mode is {Convert.ToString((int)mode, 8)}, and it must be 700 (readable and writable by the gateway's user only)");
                return false;
            }

            if (IsInside(_folder, _transformsFolder))
            {
                LogFolderRefused(_logger, _folder, "it is inside the transforms folder");
                return false;
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            LogFolderRefused(_logger, _folder, e.Message);
            return false;
        }
    }

    private static bool IsInside(string path, string folder) =>
        (Path.TrimEndingDirectorySeparator(path) + Path.DirectorySeparatorChar).StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next write to replace.
        }
    }

    private static void Append(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        hash.AppendData("\0"u8);
    }

    [LoggerMessage(EventId = Gateway.Hosting.EventIds.CompilerCacheEntryRefused, Level = LogLevel.Warning, Message = "Compiled-transform cache entry {CacheEntry} for {TransformFile} not used, compiling instead: {Reason}")]
    private static partial void LogEntryRefused(ILogger logger, string cacheEntry, string transformFile, string reason);

    [LoggerMessage(EventId = Gateway.Hosting.EventIds.CompilerCacheWriteFailed, Level = LogLevel.Warning, Message = "Compiled-transform cache entry {CacheEntry} for {TransformFile} not written: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string cacheEntry, string transformFile, string reason);

    [LoggerMessage(EventId = Gateway.Hosting.EventIds.CompilerCacheFolderRefused, Level = LogLevel.Warning, Message = "Compiled-transform cache folder {CacheFolder} not used, every transform compiles (Gateway:Transforms:Compiler:Cache:Path): {Reason}")]
    private static partial void LogFolderRefused(ILogger logger, string cacheFolder, string reason);

    /// <summary>
    /// What identifies the compiler: the module version ids of the assemblies that compile (Roslyn), check and rewrite
    /// (Gateway.Scripting: the sandbox's rules and the budget rewriter) and are referenced (the script API), read from
    /// their files without loading them; and the runtime, whose assemblies are the reference set.
    /// </summary>
    private static class CompilerIdentity
    {
        public static readonly string Value = Compute();

        private static string Compute()
        {
            string[] assemblies =
            [
                "Gateway.Scripting.dll", "Gateway.Scripting.Abstractions.dll", "Gateway.TransformHost.dll",
                "Microsoft.CodeAnalysis.dll", "Microsoft.CodeAnalysis.CSharp.dll",
                "Microsoft.CodeAnalysis.Scripting.dll", "Microsoft.CodeAnalysis.CSharp.Scripting.dll",
            ];
            var parts = new List<string>
            {
                "format:" + Magic.Trim(),
                "runtime:" + RuntimeInformation.FrameworkDescription + " " + RuntimeEnvironment.GetRuntimeDirectory(),
            };
            foreach (var name in assemblies)
            {
                parts.Add(name + ":" + ModuleVersionOf(Path.Combine(AppContext.BaseDirectory, name)));
            }

            return string.Join("\n", parts);
        }

        private static string ModuleVersionOf(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var pe = new PEReader(stream);
                var metadata = pe.GetMetadataReader();
                return metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToString("N");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
            {
                // Unreadable: a key no later run can match by chance.
                return "unknown:" + Guid.NewGuid().ToString("N");
            }
        }
    }
}
