using Gateway.Scripting.Execution;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Execution;

/// <summary>
/// The thread pool's minimum is the process's, whoever raises it: these tests read it exactly, so they run with
/// the budget tests, alone. Each uses a compensation of its own.
/// </summary>
[Collection(BudgetGroup.Name)]
public sealed class PoolCompensationTests
{
    [Fact]
    public void Release_TakesBackWhatItAdded_KeepingAChangeMadeMeanwhile()
    {
        ThreadPool.GetMinThreads(out var original, out var io);
        using var compensation = new PoolCompensation();
        try
        {
            compensation.Hold();
            ThreadPool.GetMinThreads(out var held, out _);
            Assert.True(held > original);

            // Someone else raises the minimum while the compensation is held.
            ThreadPool.SetMinThreads(held + 5, io);
            compensation.Release();

            ThreadPool.GetMinThreads(out var after, out _);
            Assert.Equal(original + 5, after);
        }
        finally
        {
            ThreadPool.SetMinThreads(original, io);
        }
    }

    [Fact]
    public void Dispose_WithCallsStillHeld_GivesBackWhenTheLastReturns()
    {
        ThreadPool.GetMinThreads(out var original, out var io);
        var compensation = new PoolCompensation();
        try
        {
            compensation.Hold();
            compensation.Hold();
            ThreadPool.GetMinThreads(out var held, out _);
            Assert.True(held > original);

            // Disposed while two stuck calls still hold pool threads: the pool keeps its extra threads until they return.
            compensation.Dispose();
            ThreadPool.GetMinThreads(out var disposed, out _);
            Assert.Equal(held, disposed);

            // A disposed compensation adds no more.
            compensation.Hold();
            ThreadPool.GetMinThreads(out var refused, out _);
            Assert.Equal(held, refused);

            compensation.Release();
            compensation.Release();
            ThreadPool.GetMinThreads(out var after, out _);
            Assert.Equal(original, after);
        }
        finally
        {
            ThreadPool.SetMinThreads(original, io);
        }
    }
}
