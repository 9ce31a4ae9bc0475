using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// Refuses <c>#r</c>, <c>#line</c>, and <c>#load</c> of anything outside the transforms folder, in the script and in
/// every file it pulls in with <c>#load</c> (and they pull in), before the compiler sees any of them: the compiler
/// would read a loaded file, and quote it in its diagnostics, while resolving it. Only files inside the folder are
/// read here.
/// </summary>
internal static class DirectiveChecker
{
    public static List<SandboxViolation> Check(SyntaxTree tree, string transformsFolder, CancellationToken cancellationToken = default)
    {
        var violations = new List<SandboxViolation>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { Path.GetFullPath(tree.FilePath) };
        var pending = new Queue<SyntaxTree>([tree]);
        while (pending.TryDequeue(out var current))
        {
            foreach (var directive in current.GetRoot(cancellationToken).DescendantTrivia().Select(t => t.GetStructure()).OfType<DirectiveTriviaSyntax>())
            {
                switch (directive)
                {
                    case ReferenceDirectiveTriviaSyntax reference:
                        violations.Add(new SandboxViolation(
                            reference.GetLocation(), SandboxCodes.AssemblyReference,
                            "'#r' is not available to transforms: they compile against a fixed set of assemblies"));
                        break;
                    case LineOrSpanDirectiveTriviaSyntax line:
                        violations.Add(new SandboxViolation(
                            line.GetLocation(), SandboxCodes.LineDirective,
                            "'#line' is not available to transforms: failures are logged with the file and line the code is really on"));
                        break;
                    case LoadDirectiveTriviaSyntax load:
                        var path = load.File.ValueText;
                        var resolved = Resolve(path, current.FilePath, transformsFolder);
                        if (!RealPath.IsInside(resolved, transformsFolder))
                        {
                            violations.Add(new SandboxViolation(
                                load.GetLocation(), SandboxCodes.LoadOutsideFolder,
                                $"'#load \"{path}\"' reaches outside the transforms folder; #load only files inside it"));
                        }
                        else if (seen.Add(resolved) && File.Exists(resolved))
                        {
                            // Inside the folder: read it, so that its own directives are checked before the compiler resolves them.
                            pending.Enqueue(CSharpSyntaxTree.ParseText(File.ReadAllText(resolved), (CSharpParseOptions)tree.Options, resolved, cancellationToken: cancellationToken));
                        }

                        break;
                }
            }
        }

        return violations;
    }

    // As the compiler's resolver does: relative to the file that loads it, else to the transforms folder.
    private static string Resolve(string path, string loadingFile, string transformsFolder)
    {
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        var besideLoader = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(loadingFile) ?? transformsFolder, path));
        var inFolder = Path.GetFullPath(Path.Combine(transformsFolder, path));
        return File.Exists(besideLoader) || !File.Exists(inFolder) ? besideLoader : inFolder;
    }
}
