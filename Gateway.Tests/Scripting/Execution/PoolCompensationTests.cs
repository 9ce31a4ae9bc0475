using Gateway.Scripting.Execution;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Execution;

/// <summary>The thread pool's minimum is process-wide: these run with the budget tests, alone.</summary>
[Collection(BudgetGroup.Name)]
public sealed class PoolCompensationTests
{
    [Fact]
    public void Release_TakesBackWhatItAdded_KeepingAChangeMadeMeanwhile()
    {
        ThreadPool.GetMinThreads(out var original, out var io);
        try
        {
            PoolCompensation.Hold();
            ThreadPool.GetMinThreads(out var held, out _);
            Assert.True(held > original);

            // Someone else raises the minimum while the compensation is held.
            ThreadPool.SetMinThreads(held + 5, io);
            PoolCompensation.Release();

            ThreadPool.GetMinThreads(out var after, out _);
            Assert.Equal(original + 5, after);
        }
        finally
        {
            ThreadPool.SetMinThreads(original, io);
        }
    }
}
