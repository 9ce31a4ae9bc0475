namespace Gateway.Isolation;

/// <summary>Where transforms run: <c>Gateway:Transforms:Isolation</c>.</summary>
internal enum TransformIsolation
{
    /// <summary>In supervised transform-host processes (the default): nothing a transform does can take the gateway down.</summary>
    Process,

    /// <summary>In the gateway's own process: a few microseconds faster, for trusted transforms only.</summary>
    InProcess,
}
