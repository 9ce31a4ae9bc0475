using System.Runtime.Loader;
using Gateway.Scripting.Compilation;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Transforms;

/// <summary>
/// A thousand reloads of a transform leave nothing behind: each version lives in a collectible load context,
/// unloaded once replaced, so after a full GC the loaded assemblies and the managed heap are back where they began.
/// </summary>
[Collection(BudgetGroup.Name)]
public sealed class ReloadLeakTests(SandboxTestFolder folder) : IClassFixture<SandboxTestFolder>
{
    private const int Reloads = 1000;

    [Fact]
    public void ThousandReloads_UnloadEveryVersion()
    {
        var compiler = new TransformCompiler(folder.Path);
        var file = Path.Combine(folder.Path, "reloaded.csx");
        Compile(compiler, file, -1); // the compiler's own first-use allocations are not the transforms'
        var contextsBefore = TransformContexts();
        var heapBefore = FullGcHeap();

        // Two at a time, as the machine has two cores; every version is unloaded once the next replaces it.
        Parallel.For(0, Reloads, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => Compile(compiler, file + i, i).Unload());

        var contextsAfter = WaitForUnload(contextsBefore);
        var heapAfter = FullGcHeap();

        Assert.True(contextsAfter <= contextsBefore + 2, $"{contextsAfter - contextsBefore} transform load contexts of {Reloads} were not unloaded");
        Assert.True(heapAfter - heapBefore < 32L * 1024 * 1024, $"the managed heap grew by {(heapAfter - heapBefore) / 1024} KB over {Reloads} reloads");
        Console.WriteLine($"{Reloads} reloads: heap {heapBefore / 1024} KB before, {heapAfter / 1024} KB after; {contextsAfter - contextsBefore} contexts left");
    }

    private static Gateway.Scripting.CompiledTransform Compile(TransformCompiler compiler, string file, int version)
    {
        var compilation = compiler.Compile(file, $"Headers[\"x-version\"] = \"{version}\";\nfor (var i = 0; i < 2; i++) Status = 400 + i;\n");
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        compilation.Transform!.Load(); // compiling loads nothing; the in-process runner loads each version
        return compilation.Transform;
    }

    private static int TransformContexts() =>
        AssemblyLoadContext.All.Count(c => c.Name?.StartsWith("transform:", StringComparison.Ordinal) == true);

    private static int WaitForUnload(int baseline)
    {
        for (var i = 0; i < 50; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var now = TransformContexts();
            if (now <= baseline)
            {
                return now;
            }

            Thread.Sleep(50);
        }

        return TransformContexts();
    }

    private static long FullGcHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
