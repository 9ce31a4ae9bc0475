using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// Refuses static state in every type a script declares (classes, structs, records, interfaces, nested types, the
/// submission itself), checked on the symbols rather than the syntax: a static field, readonly or not, and any
/// property or event the compiler backs with a static field (auto-properties, properties that use <c>field</c>,
/// field-like events). Such state outlives the run and is shared by every request; <c>const</c> is not state.
/// </summary>
internal static class StaticStateRule
{
    public static void Check(Microsoft.CodeAnalysis.Compilation compilation, List<SandboxViolation> violations, CancellationToken cancellationToken)
    {
        var types = new Stack<INamespaceOrTypeSymbol>([compilation.Assembly.GlobalNamespace]);
        while (types.TryPop(out var container))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in container.GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol inner:
                        types.Push(inner);
                        break;
                    case IFieldSymbol { IsStatic: true, IsConst: false } field when SourceLocation(field.AssociatedSymbol ?? field) is { } at:
                        violations.Add(new SandboxViolation(at, SandboxCodes.StaticState, Message(field)));
                        break;
                    case IEventSymbol { IsStatic: true, AddMethod.IsImplicitlyDeclared: true } @event
                        when !container.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, @event))
                            && SourceLocation(@event) is { } at:
                        violations.Add(new SandboxViolation(at, SandboxCodes.StaticState, $"the static event '{@event.Name}' would keep its handlers for every request; use an instance event"));
                        break;
                }
            }
        }
    }

    private static string Message(IFieldSymbol field) => field.AssociatedSymbol switch
    {
        IPropertySymbol property => $"the static property '{property.Name}' keeps its value in a static field, shared by every request (the next client would see it); use a const, a local, or a property without storage",
        IEventSymbol @event => $"the static event '{@event.Name}' would keep its handlers for every request; use an instance event",
        _ => $"the static field '{field.Name}' would be shared by every request (the next client would see it), readonly or not; use a const or a local",
    };

    private static Location? SourceLocation(ISymbol symbol) => symbol.Locations.FirstOrDefault(l => l.IsInSource);
}
