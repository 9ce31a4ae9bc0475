using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Compilation;

/// <summary>One compiler finding about a transform, in the form editors and CI parse.</summary>
/// <param name="File">The file the finding is in.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column.</param>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Code">The diagnostic id, e.g. <c>CS0103</c>.</param>
/// <param name="Message">What is wrong.</param>
public sealed record TransformDiagnostic(string File, int Line, int Column, string Severity, string Code, string Message)
{
    /// <summary>Whether this finding stops the transform from loading.</summary>
    public bool IsError => Severity == "error";

    /// <summary>Formats the finding as <c>file(line,col): error CODE: message</c>.</summary>
    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Code}: {Message}";

    internal static TransformDiagnostic From(Diagnostic diagnostic, string fallbackFile)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var file = span.IsValid && !string.IsNullOrEmpty(span.Path) ? span.Path : fallbackFile;
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return new TransformDiagnostic(
            file,
            span.StartLinePosition.Line + 1,
            span.StartLinePosition.Character + 1,
            severity,
            diagnostic.Id,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
