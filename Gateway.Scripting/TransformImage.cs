namespace Gateway.Scripting;

/// <summary>
/// A transform as the compiler emitted it: the assembly and its symbols, and where its top-level code starts.
/// Plain bytes, so that it can be loaded into this process or handed to a transform host that loads it there.
/// </summary>
/// <param name="Assembly">The emitted assembly (PE).</param>
/// <param name="Symbols">Its portable PDB, so that a failure's stack frame maps to the script's line.</param>
/// <param name="EntryType">The metadata name of the submission class.</param>
/// <param name="EntryMethod">The metadata name of its static factory method, which runs the top-level code.</param>
public sealed record TransformImage(byte[] Assembly, byte[] Symbols, string EntryType, string EntryMethod);
