using System.Reflection;
using System.Runtime.CompilerServices;
using Gateway.Scripting.Execution;

namespace Gateway.Tests.Scripting.Execution;

/// <summary>
/// The execution core is made of ordinary objects: no type in Gateway.Scripting.Execution keeps state in a static
/// field, so two runners (two tests, two hosts) never share a thread, a watchdog or a count.
/// </summary>
public sealed class ExecutionStateTests
{
    /// <summary>Static fields allowed, each with why.</summary>
    private static readonly HashSet<string> Justified = new(StringComparer.Ordinal)
    {
        // [ThreadStatic]: the OS's id of a thread's CPU clock, a fact about the thread found once per thread.
        "ThreadCpuTime.t_clockKnown",
        "ThreadCpuTime.t_clock",
    };

    [Fact]
    public void ExecutionTypes_HaveNoStaticMutableState()
    {
        // Compiler-generated closure classes cache stateless lambdas, which is no state.
        var types = typeof(TransformRunner).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(TransformRunner).Namespace && !type.IsDefined(typeof(CompilerGeneratedAttribute)))
            .ToList();
        Assert.Contains(typeof(ScriptWatchdog), types);

        var offending = new List<string>();
        foreach (var type in types)
        {
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var name = $"{type.Name}.{field.Name}";
                if (field.IsLiteral || Justified.Contains(name) || (field.IsInitOnly && IsImmutable(field.FieldType)))
                {
                    continue;
                }

                offending.Add($"{name} ({field.FieldType.Name})");
            }
        }

        Assert.True(offending.Count == 0, "static state: " + string.Join(", ", offending));
    }

    [Fact]
    public void ExecutionTypes_StartNoThreadFromAStaticConstructor()
    {
        // A type initializer is only allowed where it sets immutable static readonly fields (such as the log
        // delegates LoggerMessage generates), which the test above checks.
        var withInitializer = typeof(TransformRunner).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(TransformRunner).Namespace && type.TypeInitializer is not null
                && !type.IsDefined(typeof(CompilerGeneratedAttribute)))
            .Where(type => !type.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Any(field => field.IsInitOnly))
            .Select(type => type.Name)
            .ToList();

        Assert.Empty(withInitializer);
        Assert.Null(typeof(ScriptWatchdog).TypeInitializer);
        Assert.Null(typeof(ScriptThreads).TypeInitializer);
        Assert.Null(typeof(PoolCompensation).TypeInitializer);
    }

    // Delegates, strings and plain values cannot carry state between instances.
    private static bool IsImmutable(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan)
        || typeof(Delegate).IsAssignableFrom(type);
}
