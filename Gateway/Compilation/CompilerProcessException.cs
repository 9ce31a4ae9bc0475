namespace Gateway.Compilation;

/// <summary>The compiler process ended, or was stopped, before it answered a compile.</summary>
internal sealed class CompilerProcessException(string message) : Exception(message);
