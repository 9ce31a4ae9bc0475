using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Gateway.Scripting.Sandbox;

// The rules about what a script hands to a library (reflection by proxy), what a library hands back about the
// process (stack traces, hash seeds), and which library classes a script's types may derive from.
internal sealed partial class SandboxAnalyzer
{
    private sealed partial class Walker
    {
        // GW0116: a library that serialises or destructures what it is given sees only plain data.
        private void CheckHandOver(IMethodSymbol method, SyntaxNode node)
        {
            if (IsFromScript(method) || !SandboxPolicy.ReflectsOverArguments(method))
            {
                return;
            }

            foreach (var argument in method.TypeArguments.Where(a => !SandboxPolicy.IsPlainData(a)))
            {
                Report(node.GetLocation(), SandboxCodes.ReflectionByProxy,
                    $"'{method.ToDisplayString()}' would reflect over a '{argument.ToDisplayString()}' and read its public properties: {SandboxPolicy.PlainDataAdvice}");
            }

            switch (model.GetOperation(node, cancellationToken))
            {
                case IInvocationOperation invocation:
                    foreach (var argument in invocation.Arguments)
                    {
                        CheckHandedOver(method, argument);
                    }

                    break;
                case IMethodReferenceOperation when method.Parameters.Any(p => TakesAnything(p.Type)) && !IsCalled(node):
                    // As a delegate, its arguments would be chosen where this rule cannot see them.
                    Report(node.GetLocation(), SandboxCodes.ReflectionByProxy,
                        $"'{method.ToDisplayString()}' can be called only directly, so that what it is handed can be checked: {SandboxPolicy.PlainDataAdvice}");
                    break;
            }
        }

        private void CheckHandedOver(IMethodSymbol method, IArgumentOperation argument)
        {
            if (argument.Parameter is not { } parameter)
            {
                return;
            }

            if (parameter.Name == "message" && parameter.Type.SpecialType == SpecialType.System_String
                && argument.Value.ConstantValue is { HasValue: true, Value: string template } && Destructures(template))
            {
                Report(argument.Syntax.GetLocation(), SandboxCodes.ReflectionByProxy,
                    $"the message template \"{template}\" destructures a value ('{{@...}}'), which makes the logger read its public properties: use '{{Name}}' and log plain values");
            }

            if (!TakesAnything(parameter.Type))
            {
                return;
            }

            var values = argument is { ArgumentKind: ArgumentKind.ParamArray, Value: IArrayCreationOperation { Initializer: { } initializer } }
                ? initializer.ElementValues
                : [argument.Value];
            foreach (var value in values)
            {
                var handed = Unconverted(value);
                if (!SandboxPolicy.IsPlainData(handed.Type))
                {
                    Report(value.Syntax.GetLocation(), SandboxCodes.ReflectionByProxy,
                        $"'{method.ToDisplayString()}' would reflect over a '{handed.Type?.ToDisplayString()}' and read its public properties: {SandboxPolicy.PlainDataAdvice}");
                }
            }
        }

        private static bool IsCalled(SyntaxNode node) =>
            node.Parent is InvocationExpressionSyntax invocation && invocation.Expression == node;

        // object, object[] and the like: parameters that take whatever they are given.
        private static bool TakesAnything(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol array => TakesAnything(array.ElementType),
            ITypeParameterSymbol => true,
            _ => type.SpecialType == SpecialType.System_Object,
        };

        private static IOperation Unconverted(IOperation value)
        {
            while (value is IConversionOperation { IsImplicit: true } conversion)
            {
                value = conversion.Operand;
            }

            return value;
        }

        // Serilog's destructuring operator: "{@Name}" (an escaped "{{" is text).
        private static bool Destructures(string template)
        {
            for (var i = 0; i < template.Length - 1; i++)
            {
                if (template[i] != '{')
                {
                    continue;
                }

                if (template[i + 1] == '{')
                {
                    i++;
                    continue;
                }

                if (template[i + 1] == '@')
                {
                    return true;
                }
            }

            return false;
        }

        // GW0117: hash codes are seeded per process; an exception turned into text carries its stack trace.
        private void CheckInternals(IMethodSymbol method, SyntaxNode node)
        {
            if (method.Name == nameof(GetHashCode))
            {
                Report(node.GetLocation(), SandboxCodes.Internals, $"'{method.ToDisplayString()}' is not available to transforms: {SandboxPolicy.HashCodeAdvice}");
                return;
            }

            if (method.Name == nameof(ToString) && method.Parameters.Length == 0)
            {
                var instance = model.GetOperation(node, cancellationToken) switch
                {
                    IInvocationOperation invocation => invocation.Instance,
                    IMethodReferenceOperation reference => reference.Instance,
                    _ => null,
                };
                if (instance is not null && BearsExceptions(Unconverted(instance).Type))
                {
                    Report(node.GetLocation(), SandboxCodes.Internals, $"an exception's ToString() is not available to transforms: {SandboxPolicy.InternalsAdvice}");
                }

                return;
            }

            // string.Join<Exception>, string.Concat<Exception>, StringBuilder.AppendJoin<Exception>...
            if (!IsFromScript(method) && rules.WritesAsText(method) && method.TypeArguments.Any(BearsExceptions))
            {
                Report(node.GetLocation(), SandboxCodes.Internals, $"'{method.ToDisplayString()}' would turn an exception into text: {SandboxPolicy.InternalsAdvice}");
            }
        }

        private void CheckExceptionConversion(ExpressionSyntax expression, TypeInfo type)
        {
            if (type.Type is null || type.ConvertedType is null || !BearsExceptions(type.Type) || BearsExceptions(type.ConvertedType)
                || IsNamePart(expression) || expression.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression })
            {
                return; // no conversion; the name in "e.Inner", checked as the whole; or "e == null", which compares references
            }

            Report(expression.GetLocation(), SandboxCodes.Internals,
                $"a '{type.Type.ToDisplayString()}' used as a '{type.ConvertedType.ToDisplayString()}' can be turned into text, with its stack trace: {SandboxPolicy.InternalsAdvice}");
        }

        private static bool IsNamePart(ExpressionSyntax expression) => expression.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Name == expression,
            MemberBindingExpressionSyntax binding => binding.Name == expression,
            _ => false,
        };

        private void CheckExceptionAsText(ITypeSymbol? type, ExpressionSyntax hole)
        {
            if (BearsExceptions(type))
            {
                Report(hole.GetLocation(), SandboxCodes.Internals, $"an exception in an interpolated string is written with its stack trace: {SandboxPolicy.InternalsAdvice}");
            }
        }

        // An exception, or something whose text would hold one: a tuple or collection of them, or a record or anonymous
        // object with one among its members (their generated ToString writes every member's).
        private static bool BearsExceptions(ITypeSymbol? type) => BearsExceptions(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

        private static bool BearsExceptions(ITypeSymbol? type, HashSet<ITypeSymbol> seen)
        {
            if (type is null || !seen.Add(type))
            {
                return false;
            }

            return type switch
            {
                IArrayTypeSymbol array => BearsExceptions(array.ElementType, seen),
                INamedTypeSymbol named when SandboxPolicy.IsException(named) => true,
                INamedTypeSymbol named when named.TypeArguments.Any(a => BearsExceptions(a, seen)) => true,
                INamedTypeSymbol { IsRecord: true } or INamedTypeSymbol { IsAnonymousType: true } => type.GetMembers().Any(m => m switch
                {
                    IPropertySymbol { IsStatic: false } property => BearsExceptions(property.Type, seen),
                    IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field => BearsExceptions(field.Type, seen),
                    _ => false,
                }),
                _ => false,
            };
        }

        // GW0118: a script's classes derive from object, an exception, or another of the script's classes.
        private void CheckBaseClass(INamedTypeSymbol type, SyntaxNode node)
        {
            if (type.TypeKind != TypeKind.Class || type.BaseType is not { } baseType || IsFromScript(baseType)
                || policy.Refuse(baseType) is not null || SandboxPolicy.RefuseBaseClass(baseType) is not { } refusal)
            {
                return; // a refused base is reported as such, by the type check
            }

            var at = node is BaseTypeDeclarationSyntax { BaseList.Types: [var first, ..] } ? first.GetLocation() : node.GetLocation();
            Report(at, refusal.Code, refusal.Message);
        }
    }
}
