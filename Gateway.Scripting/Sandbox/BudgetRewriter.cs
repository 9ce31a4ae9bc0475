using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// Weaves execution-budget checks into a script's source. .NET cannot abort a thread, so the script has to
/// check its own budget: at each loop iteration, on entry to every method, local function, lambda and
/// accessor (with its depth counted), before each <c>goto</c>, at the start of each <c>catch</c> and
/// <c>finally</c>, and before allocations whose size it names. Every <c>catch</c> gains a filter that lets a
/// budget breach through. Edits are made to the text without adding or removing a line break, so every line
/// of the script, and of its diagnostics and stack traces, stays where the author wrote it.
/// </summary>
internal static class BudgetRewriter
{
    private const string Budget = "global::Gateway.Scripting.Sandbox.ExecutionBudget";
    private const string CaughtName = "__gw_caught";
    private const int SmallConstantSize = 4096;

    public static string Rewrite(SyntaxTree tree, SemanticModel model, SandboxRules rules, CancellationToken cancellationToken)
    {
        var edits = new List<Edit>();
        var root = tree.GetRoot(cancellationToken);
        foreach (var node in root.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var depth = node.Ancestors().Count();
            switch (node)
            {
                case WhileStatementSyntax loop:
                    CheckAtStart(loop.Statement, edits);
                    break;
                case DoStatementSyntax loop:
                    CheckAtStart(loop.Statement, edits);
                    break;
                case ForStatementSyntax loop:
                    CheckAtStart(loop.Statement, edits);
                    break;
                case CommonForEachStatementSyntax loop:
                    CheckAtStart(loop.Statement, edits);
                    break;
                case GotoStatementSyntax jump:
                    edits.Add(Edit.Open(jump.SpanStart, $"{{ {Budget}.Check(); ", depth));
                    edits.Add(Edit.Close(jump.Span.End, " }", depth));
                    break;
                case CatchClauseSyntax handler:
                    GuardCatch(handler, edits, depth);
                    break;
                case FinallyClauseSyntax cleanup:
                    edits.Add(Edit.Open(cleanup.Block.OpenBraceToken.Span.End, $" {Budget}.Check();", depth));
                    break;
                case BaseMethodDeclarationSyntax method:
                    CountCalls(method.Body, method.ExpressionBody, method.SemicolonToken, ReturnsValue(model.GetDeclaredSymbol(method, cancellationToken)), edits, depth);
                    break;
                case LocalFunctionStatementSyntax function:
                    CountCalls(function.Body, function.ExpressionBody, function.SemicolonToken, ReturnsValue(model.GetDeclaredSymbol(function, cancellationToken)), edits, depth);
                    break;
                case AccessorDeclarationSyntax accessor:
                    CountCalls(accessor.Body, accessor.ExpressionBody, accessor.SemicolonToken, ReturnsValue(model.GetDeclaredSymbol(accessor, cancellationToken)), edits, depth);
                    break;
                case BasePropertyDeclarationSyntax property when ExpressionBodyOf(property) is { } arrow:
                    edits.Add(Edit.Replace(arrow.ArrowToken.Span, $"{{ get {{ {Budget}.Enter(); try {{ {Return(arrow.Expression, true)}", depth));
                    edits.Add(Edit.Replace(SemicolonOf(property).Span, $"; }} finally {{ {Budget}.Exit(); }} }} }}", depth));
                    break;
                case AnonymousFunctionExpressionSyntax lambda:
                    CountLambdaCalls(lambda, model, edits, depth, cancellationToken);
                    break;
                case ArrayCreationExpressionSyntax array:
                    ReserveArray(array, model, edits, depth, cancellationToken);
                    break;
                case ArgumentSyntax argument:
                    GuardArgument(argument, model, rules, edits, depth, cancellationToken);
                    break;
            }
        }

        edits.Sort();
        return tree.GetText(cancellationToken).WithChanges(edits.Select(edit => edit.Change)).ToString();
    }

    private static void CheckAtStart(StatementSyntax body, List<Edit> edits)
    {
        var depth = body.Ancestors().Count();
        if (body is BlockSyntax block)
        {
            edits.Add(Edit.Open(block.OpenBraceToken.Span.End, $" {Budget}.Check();", depth));
            return;
        }

        edits.Add(Edit.Open(body.SpanStart, $"{{ {Budget}.Check(); ", depth));
        edits.Add(Edit.Close(body.Span.End, " }", depth));
    }

    private static void GuardCatch(CatchClauseSyntax handler, List<Edit> edits, int depth)
    {
        var declaration = handler.Declaration;
        string name;
        if (declaration is null)
        {
            name = CaughtName;
            edits.Add(Edit.Open(handler.CatchKeyword.Span.End, $" (global::System.Exception {name})", depth));
        }
        else if (declaration.Identifier.IsKind(SyntaxKind.None))
        {
            name = CaughtName;
            edits.Add(Edit.Open(declaration.CloseParenToken.SpanStart, " " + name, depth));
        }
        else
        {
            name = declaration.Identifier.ValueText;
        }

        if (handler.Filter is { } filter)
        {
            edits.Add(Edit.Open(filter.FilterExpression.SpanStart, $"!{Budget}.IsBreach({name}) && (", depth));
            edits.Add(Edit.Close(filter.FilterExpression.Span.End, ")", depth));
        }
        else
        {
            var afterDeclaration = declaration?.CloseParenToken.Span.End ?? handler.CatchKeyword.Span.End;
            edits.Add(Edit.Open(afterDeclaration, $" when (!{Budget}.IsBreach({name}))", depth + 1));
        }

        edits.Add(Edit.Open(handler.Block.OpenBraceToken.Span.End, $" {Budget}.Check();", depth));
    }

    private static void CountCalls(BlockSyntax? body, ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon, bool returnsValue, List<Edit> edits, int depth)
    {
        if (body is not null)
        {
            CountCallsInBlock(body, edits, depth);
        }
        else if (arrow is not null && !semicolon.IsKind(SyntaxKind.None))
        {
            edits.Add(Edit.Replace(arrow.ArrowToken.Span, $"{{ {Budget}.Enter(); try {{ {Return(arrow.Expression, returnsValue)}", depth));
            edits.Add(Edit.Replace(semicolon.Span, $"; }} finally {{ {Budget}.Exit(); }} }}", depth));
        }
    }

    private static void CountLambdaCalls(AnonymousFunctionExpressionSyntax lambda, SemanticModel model, List<Edit> edits, int depth, CancellationToken cancellationToken)
    {
        if (lambda.Block is { } block)
        {
            CountCallsInBlock(block, edits, depth);
        }
        else if (lambda.ExpressionBody is { } expression)
        {
            var returnsValue = ReturnsValue(model.GetSymbolInfo(lambda, cancellationToken).Symbol);
            edits.Add(Edit.Open(expression.SpanStart, $"{{ {Budget}.Enter(); try {{ {Return(expression, returnsValue)}", depth));
            edits.Add(Edit.Close(expression.Span.End, $"; }} finally {{ {Budget}.Exit(); }} }}", depth));
        }
    }

    private static void CountCallsInBlock(BlockSyntax block, List<Edit> edits, int depth)
    {
        var open = $" {Budget}.Enter(); try {{";
        var close = $"}} finally {{ {Budget}.Exit(); }} ";
        var start = block.OpenBraceToken.Span.End;
        var end = block.CloseBraceToken.SpanStart;
        if (start == end)
        {
            // An empty body, "{}": both edits would land on one offset, where closing text sorts before opening
            // text (right for two constructs that touch, wrong for one that is empty). One edit keeps the order.
            edits.Add(Edit.Open(start, open + close, depth));
            return;
        }

        edits.Add(Edit.Open(start, open, depth));
        edits.Add(Edit.Close(end, close, depth));
    }

    private static void ReserveArray(ArrayCreationExpressionSyntax array, SemanticModel model, List<Edit> edits, int depth, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(array, cancellationToken).Type is not IArrayTypeSymbol type || array.Type.RankSpecifiers.Count == 0)
        {
            return;
        }

        var elementSize = SandboxRules.SizeOf(type.ElementType);
        foreach (var size in array.Type.RankSpecifiers[0].Sizes)
        {
            Reserve(size, elementSize, model, edits, depth, cancellationToken);
        }
    }

    private static void GuardArgument(ArgumentSyntax argument, SemanticModel model, SandboxRules rules, List<Edit> edits, int depth, CancellationToken cancellationToken)
    {
        if (model.GetOperation(argument, cancellationToken) is not IArgumentOperation { Parameter: { } parameter } operation)
        {
            return;
        }

        var method = operation.Parent switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            _ => null,
        };
        if (method is null || method.ContainingType is null || method.Locations.Any(l => l.IsInSource))
        {
            return;
        }

        if (rules.IsMatchTimeout(method, parameter))
        {
            edits.Add(Edit.Open(argument.Expression.SpanStart, $"{Budget}.RegexTimeout(", depth));
            edits.Add(Edit.Close(argument.Expression.Span.End, ")", depth));
            return;
        }

        if (rules.AllocationUnit(method, parameter) is { } elementSize)
        {
            Reserve(argument.Expression, elementSize, model, edits, depth, cancellationToken);
        }
    }

    private static void Reserve(ExpressionSyntax size, int elementSize, SemanticModel model, List<Edit> edits, int depth, CancellationToken cancellationToken)
    {
        if (size is OmittedArraySizeExpressionSyntax)
        {
            return;
        }

        var sizeType = model.GetTypeInfo(size, cancellationToken).Type?.SpecialType;
        if (sizeType is not (SpecialType.System_Int32 or SpecialType.System_Int64))
        {
            return;
        }

        if (model.GetConstantValue(size, cancellationToken) is { HasValue: true, Value: var constant }
            && Convert.ToInt64(constant, CultureInfo.InvariantCulture) * elementSize <= SmallConstantSize)
        {
            return;
        }

        edits.Add(Edit.Open(size.SpanStart, $"{Budget}.Reserve(", depth + 1));
        edits.Add(Edit.Close(size.Span.End, $", {elementSize.ToString(CultureInfo.InvariantCulture)})", depth + 1));
    }

    private static bool ReturnsValue(ISymbol? symbol) => symbol is IMethodSymbol { ReturnsVoid: false };

    private static string Return(ExpressionSyntax expression, bool returnsValue) =>
        returnsValue && expression is not ThrowExpressionSyntax ? "return " : string.Empty;

    private static ArrowExpressionClauseSyntax? ExpressionBodyOf(BasePropertyDeclarationSyntax property) => property switch
    {
        PropertyDeclarationSyntax p => p.ExpressionBody,
        IndexerDeclarationSyntax i => i.ExpressionBody,
        _ => null,
    };

    private static SyntaxToken SemicolonOf(BasePropertyDeclarationSyntax property) => property switch
    {
        PropertyDeclarationSyntax p => p.SemicolonToken,
        IndexerDeclarationSyntax i => i.SemicolonToken,
        _ => default,
    };

    /// <summary>
    /// One text edit. At one position, closing text goes before opening text; closings of inner constructs
    /// before outer ones, openings of outer constructs before inner ones.
    /// </summary>
    private readonly record struct Edit(int Start, int Length, string Text, int Rank) : IComparable<Edit>
    {
        public static Edit Open(int at, string text, int depth) => new(at, 0, text, 1_000_000 + depth);

        public static Edit Close(int at, string text, int depth) => new(at, 0, text, -depth);

        public static Edit Replace(TextSpan span, string text, int depth) => new(span.Start, span.Length, text, 1_000_000 + depth);

        public TextChange Change => new(new TextSpan(Start, Length), Text);

        public int CompareTo(Edit other) => Start != other.Start ? Start.CompareTo(other.Start) : Rank.CompareTo(other.Rank);
    }
}
