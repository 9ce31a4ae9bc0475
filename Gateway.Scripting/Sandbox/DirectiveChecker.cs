using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// Refuses <c>#r</c>, and <c>#load</c> of anything outside the transforms folder, before the compiler sees the
/// script: the compiler would read a loaded file, and quote it in its diagnostics, while resolving it.
/// </summary>
internal static class DirectiveChecker
{
    public static List<SandboxViolation> Check(SyntaxTree tree, string transformsFolder)
    {
        var violations = new List<SandboxViolation>();
        foreach (var directive in tree.GetRoot().DescendantTrivia().Select(t => t.GetStructure()).OfType<DirectiveTriviaSyntax>())
        {
            switch (directive)
            {
                case ReferenceDirectiveTriviaSyntax reference:
                    violations.Add(new SandboxViolation(
                        reference.GetLocation(), SandboxCodes.AssemblyReference,
                        "'#r' is not available to transforms: they compile against a fixed set of assemblies"));
                    break;
                case LoadDirectiveTriviaSyntax load:
                    var path = load.File.ValueText;
                    var baseDirectory = Path.GetDirectoryName(tree.FilePath) ?? transformsFolder;
                    var resolved = Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path);
                    if (!RealPath.IsInside(resolved, transformsFolder))
                    {
                        violations.Add(new SandboxViolation(
                            load.GetLocation(), SandboxCodes.LoadOutsideFolder,
                            $"'#load \"{path}\"' reaches outside the transforms folder; #load only files inside it"));
                    }

                    break;
            }
        }

        return violations;
    }
}
