using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// Checks every symbol a script names against the <see cref="SandboxPolicy"/>, on the semantic model: types,
/// members, constructors, operators, conversions, extension methods, attributes, generic arguments, method
/// groups, lambda targets, patterns and casts; and every type the script declares, for static state and for the
/// class it derives from. One refusal is reported per line and code.
/// </summary>
internal sealed partial class SandboxAnalyzer(SandboxPolicy policy)
{
    public List<SandboxViolation> Analyze(Microsoft.CodeAnalysis.Compilation compilation, SandboxRules rules, CancellationToken cancellationToken)
    {
        var violations = new List<SandboxViolation>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var walker = new Walker(compilation, compilation.GetSemanticModel(tree), policy, rules, violations, cancellationToken);
            walker.Visit(tree.GetRoot(cancellationToken));
        }

        StaticStateRule.Check(compilation, violations, cancellationToken);
        return violations;
    }

    private sealed partial class Walker(
        Microsoft.CodeAnalysis.Compilation compilation,
        SemanticModel model,
        SandboxPolicy policy,
        SandboxRules rules,
        List<SandboxViolation> violations,
        CancellationToken cancellationToken) : CSharpSyntaxWalker(SyntaxWalkerDepth.Token)
    {
        private readonly HashSet<(int Line, string Code)> _reported = [];

        public override void Visit(SyntaxNode? node)
        {
            if (node is null || IsNameOf(node))
            {
                return; // nameof(...) only names things: it runs nothing.
            }

            cancellationToken.ThrowIfCancellationRequested();
            CheckSyntax(node);
            CheckSemantics(node);
            base.Visit(node);
        }

        public override void VisitToken(SyntaxToken token)
        {
            switch (token.Kind())
            {
                case SyntaxKind.UnsafeKeyword:
                case SyntaxKind.ExternKeyword when token.Parent is not ExternAliasDirectiveSyntax:
                    Report(token.GetLocation(), SandboxCodes.Unsafe, $"'{token.Text}' is not available to transforms: unsafe code and interop are refused");
                    break;
                case SyntaxKind.ArgListKeyword:
                    Report(token.GetLocation(), SandboxCodes.Unsafe, "'__arglist' is not available to transforms");
                    break;
                case SyntaxKind.AsyncKeyword when token.Parent is not IdentifierNameSyntax:
                    Report(token.GetLocation(), SandboxCodes.Threading, "'async' is not available to transforms: they run synchronously within a time budget");
                    break;
            }
        }

        private void CheckSyntax(SyntaxNode node)
        {
            switch (node)
            {
                case FixedStatementSyntax or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax
                    or PointerTypeSyntax or FunctionPointerTypeSyntax:
                    Report(node.GetLocation(), SandboxCodes.Unsafe, "pointers, 'fixed' and 'stackalloc' are not available to transforms");
                    break;
                case MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax:
                    Report(node.GetLocation(), SandboxCodes.Unsafe, $"'{node.GetFirstToken().Text}' is not available to transforms");
                    break;
                case ExpressionSyntax when node.IsKind(SyntaxKind.ArgListExpression):
                    Report(node.GetLocation(), SandboxCodes.Unsafe, "'__arglist' is not available to transforms");
                    break;
                case AwaitExpressionSyntax:
                    Report(node.GetLocation(), SandboxCodes.Threading, "'await' is not available to transforms: they run synchronously within a time budget");
                    break;
                case LockStatementSyntax:
                    Report(node.GetLocation(), SandboxCodes.Threading, "'lock' is not available to transforms: nothing they touch is shared");
                    break;
                case TypeOfExpressionSyntax:
                    Report(node.GetLocation(), SandboxCodes.Reflection, "'typeof' hands out a Type, and reflection is not available to transforms; use nameof for a name, 'is' to test a type");
                    break;
                case DestructorDeclarationSyntax destructor:
                    Report(destructor.Identifier.GetLocation(), SandboxCodes.Finalizer, "types in transforms cannot declare a finalizer: it would run on the finalizer thread, outside any budget");
                    break;
            }
        }

        private void CheckSemantics(SyntaxNode node)
        {
            switch (node)
            {
                case ExpressionSyntax or AttributeSyntax or ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax:
                    var info = model.GetSymbolInfo(node, cancellationToken);
                    CheckSymbol(info.Symbol ?? info.CandidateSymbols.FirstOrDefault(), node);
                    if (node is ExpressionSyntax expression)
                    {
                        var type = model.GetTypeInfo(expression, cancellationToken);
                        CheckType(type.Type, node);
                        if (!IsArrayWalkedByForEach(expression, type.Type))
                        {
                            CheckType(type.ConvertedType, node);
                        }

                        CheckExceptionConversion(expression, type);
                        var conversion = model.GetConversion(expression, cancellationToken);
                        if (conversion.IsUserDefined)
                        {
                            CheckSymbol(conversion.MethodSymbol, node);
                        }

                        if (expression is InitializerExpressionSyntax { RawKind: (int)SyntaxKind.CollectionInitializerExpression } collection)
                        {
                            foreach (var element in collection.Expressions)
                            {
                                CheckSymbol(model.GetCollectionInitializerSymbolInfo(element, cancellationToken).Symbol, element);
                            }
                        }
                    }

                    break;
                case InterpolationSyntax hole:
                    CheckExceptionAsText(model.GetTypeInfo(hole.Expression, cancellationToken).Type, hole.Expression);
                    break;
                case QueryClauseSyntax clause:
                    var query = model.GetQueryClauseInfo(clause, cancellationToken);
                    CheckSymbol(query.CastInfo.Symbol, node);
                    CheckSymbol(query.OperationInfo.Symbol, node);
                    break;
                case SelectOrGroupClauseSyntax or OrderingSyntax:
                    CheckSymbol(model.GetSymbolInfo(node, cancellationToken).Symbol, node);
                    break;
                case CommonForEachStatementSyntax forEach:
                    var loop = model.GetForEachStatementInfo(forEach);
                    // An array is walked by index: the non-generic IEnumerable members reported for it are never called.
                    if (model.GetTypeInfo(forEach.Expression, cancellationToken).Type is not IArrayTypeSymbol)
                    {
                        CheckSymbol(loop.GetEnumeratorMethod, node);
                        CheckSymbol(loop.MoveNextMethod, node);
                        CheckSymbol(loop.CurrentProperty, node);
                    }

                    CheckType(loop.ElementType, node);
                    break;
                case ParameterSyntax or VariableDeclaratorSyntax or SingleVariableDesignationSyntax or LocalFunctionStatementSyntax
                    or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or MethodDeclarationSyntax or PropertyDeclarationSyntax:
                    CheckDeclared(model.GetDeclaredSymbol(node, cancellationToken), node);
                    break;
            }
        }

        private void CheckDeclared(ISymbol? declared, SyntaxNode node)
        {
            switch (declared)
            {
                case ILocalSymbol or IParameterSymbol or IMethodSymbol or IPropertySymbol:
                    CheckType(TypeOf(declared), node);
                    break;
                case INamedTypeSymbol type:
                    // A struct's and an enum's base types (ValueType, Enum) are implied. A delegate's (MulticastDelegate)
                    // stays refused: its runtime-implemented methods cannot be prepared ahead like the script's others.
                    if (type.TypeKind is TypeKind.Class or TypeKind.Delegate)
                    {
                        CheckType(type.BaseType, node);
                        CheckBaseClass(type, node);
                    }

                    foreach (var implemented in type.Interfaces)
                    {
                        CheckType(implemented, node);
                    }

                    break;
            }
        }

        private void CheckSymbol(ISymbol? symbol, SyntaxNode node)
        {
            switch (symbol)
            {
                case null or INamespaceSymbol or ILabelSymbol or IRangeVariableSymbol or IPreprocessingSymbol:
                    return;
                case IAliasSymbol alias:
                    CheckSymbol(alias.Target, node);
                    return;
                case ITypeSymbol type:
                    CheckType(type, node);
                    return;
                case ILocalSymbol or IParameterSymbol or IDiscardSymbol:
                    CheckType(TypeOf(symbol), node);
                    return;
                case IMethodSymbol method:
                    CheckInternals(method, node);
                    CheckHandOver(method.GetConstructedReducedFrom() ?? method, node);
                    CheckMethod(method.ReducedFrom ?? method, node);
                    return;
                case IPropertySymbol or IFieldSymbol or IEventSymbol:
                    CheckMember(symbol, node);
                    return;
            }
        }

        private void CheckMethod(IMethodSymbol method, SyntaxNode node)
        {
            if (method.MethodKind == MethodKind.FunctionPointerSignature)
            {
                Report(node.GetLocation(), SandboxCodes.Unsafe, "function pointers are not available to transforms");
                return;
            }

            foreach (var argument in method.TypeArguments)
            {
                CheckType(argument, node);
            }

            if (IsFromScript(method))
            {
                return;
            }

            if (!CheckMember(method, node))
            {
                return;
            }

            CheckType(method.ReturnType, node);
            foreach (var parameter in method.Parameters)
            {
                CheckType(parameter.Type, node);
            }

            CheckRegex(method, node);
            CheckJsonSerializer(method, node);
        }

        // False when the member was refused (so its signature need not be reported as well).
        private bool CheckMember(ISymbol member, SyntaxNode node)
        {
            if (IsFromScript(member))
            {
                return true;
            }

            if (member.ContainingType is { } containing && policy.Refuse(containing) is { } typeRefusal)
            {
                Report(node.GetLocation(), typeRefusal.Code, typeRefusal.Message);
                return false;
            }

            if (SandboxPolicy.RefuseMember(member) is { } memberRefusal)
            {
                Report(node.GetLocation(), memberRefusal.Code, memberRefusal.Message);
                return false;
            }

            if (member is not IMethodSymbol)
            {
                CheckType(TypeOf(member), node); // a method's signature is checked by CheckMethod
            }

            return true;
        }

        private void CheckType(ITypeSymbol? type, SyntaxNode node)
        {
            switch (type)
            {
                case null or ITypeParameterSymbol or IErrorTypeSymbol:
                    return;
                case IArrayTypeSymbol array:
                    CheckType(array.ElementType, node);
                    return;
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                    Report(node.GetLocation(), SandboxCodes.Unsafe, "pointers are not available to transforms");
                    return;
                case { TypeKind: TypeKind.Dynamic }:
                    Report(node.GetLocation(), SandboxCodes.Dynamic, "'dynamic' is not available to transforms: it binds through reflection at run time");
                    return;
                case INamedTypeSymbol named:
                    if (!named.IsAnonymousType && !IsFromScript(named) && policy.Refuse(named) is { } refusal)
                    {
                        Report(node.GetLocation(), refusal.Code, refusal.Message);
                        return;
                    }

                    foreach (var argument in named.TypeArguments)
                    {
                        CheckType(argument, node);
                    }

                    return;
            }
        }

        private void CheckRegex(IMethodSymbol method, SyntaxNode node)
        {
            if (rules.LacksMatchTimeout(method))
            {
                Report(node.GetLocation(), SandboxCodes.RegexTimeout,
                    $"'{method.ToDisplayString()}' has no match timeout: pass one, e.g. new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(10)); it is capped at the time the transform has left");
            }
        }

        private void CheckJsonSerializer(IMethodSymbol method, SyntaxNode node)
        {
            if (rules.SerializesBeyondJsonNodes(method))
            {
                Report(node.GetLocation(), SandboxCodes.JsonSerializer,
                    $"'{method.ToDisplayString()}' is allowed only for JSON nodes, e.g. JsonSerializer.Serialize<JsonNode>(node); build bodies with JsonObject and JsonArray");
            }
        }

        // The type of the value a symbol names: a variable's, a member's, or what a method returns.
        private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IDiscardSymbol discard => discard.Type,
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            IEventSymbol @event => @event.Type,
            IMethodSymbol method => method.ReturnType,
            _ => null,
        };

        // The compiler reports an array in "foreach" as converted to IEnumerable, but walks it by index.
        private static bool IsArrayWalkedByForEach(ExpressionSyntax expression, ITypeSymbol? type) =>
            type is IArrayTypeSymbol && expression.Parent is CommonForEachStatementSyntax loop && loop.Expression == expression;

        private bool IsFromScript(ISymbol symbol) =>
            SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, compilation.Assembly);

        private bool IsNameOf(SyntaxNode node) =>
            node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "nameof" } } invocation
            && model.GetSymbolInfo(invocation, cancellationToken).Symbol is null;

        private void Report(Location location, string code, string message)
        {
            var line = location.GetLineSpan().StartLinePosition.Line;
            if (_reported.Add((line, code)))
            {
                violations.Add(new SandboxViolation(location, code, message));
            }
        }
    }
}

/// <summary>One refusal: where, the stable code, and what to do instead.</summary>
internal sealed record SandboxViolation(Location Location, string Code, string Message);
