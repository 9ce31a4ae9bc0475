using System.Text.Json.Nodes;
using Gateway.Scripting.Execution;

namespace Gateway.Scripting.Isolation;

/// <summary>Turns the runner's types into frames and back, on either side of the channel.</summary>
public static class FrameMapping
{
    /// <summary>A response the gateway made as a frame: its body is written from its node when the frame is.</summary>
    /// <param name="response">The response.</param>
    public static ResponseFrame ToFrame(ExitResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new ResponseFrame(response.Status, response.Body is { } body ? new JsonBody(body) : null, response.Body is null ? response.Text : null, Headers(response));
    }

    /// <summary>
    /// A response a chain left as a frame, its body serialised now: whatever script code the body holds runs on the
    /// calling thread, and a body JSON cannot represent throws here.
    /// </summary>
    /// <param name="response">The response.</param>
    public static ResponseFrame ToSerializedFrame(ExitResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new ResponseFrame(response.Status, response.Body is { } body ? JsonBody.Serialized(body) : null, response.Body is null ? response.Text : null, Headers(response));
    }

    private static string[][] Headers(ExitResponse response)
    {
        var headers = new List<string[]>();
        foreach (var (name, value) in response.Headers)
        {
            headers.Add([name, value]);
        }

        return [.. headers];
    }

    /// <summary>A response from a frame.</summary>
    /// <param name="frame">The frame.</param>
    public static ExitResponse ToResponse(ResponseFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var headers = new ResponseHeaders();
        foreach (var pair in frame.Headers)
        {
            if (pair is [var name, var value])
            {
                headers.Append(name, value);
            }
        }

        var body = frame.Json?.Node;
        return new ExitResponse(frame.Status, body, body is null ? frame.Text : null, headers);
    }

    /// <summary>A request view as a frame.</summary>
    /// <param name="request">The request view.</param>
    public static RequestFrame ToFrame(RequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new RequestFrame(
            request.Method, request.Host, request.Path, request.Query,
            [.. request.Headers.Select(header => new[] { header.Key, header.Value })],
            request.ClientIp, request.RouteId, request.TraceId, request.Termination,
            request.Destination, request.UpstreamStatus, request.UpstreamLatency?.Ticks);
    }

    /// <summary>A request view from a frame.</summary>
    /// <param name="frame">The frame.</param>
    public static RequestInfo ToRequest(RequestFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in frame.Headers)
        {
            if (pair is [var name, var value])
            {
                headers[name] = value;
            }
        }

        return new RequestInfo(
            frame.Method, frame.Host, frame.Path, frame.Query, headers.AsReadOnly(), frame.ClientIp, frame.RouteId,
            frame.TraceId, frame.Termination)
        {
            Destination = frame.Destination,
            UpstreamStatus = frame.UpstreamStatus,
            UpstreamLatency = frame.UpstreamLatencyTicks is { } ticks ? TimeSpan.FromTicks(ticks) : null,
        };
    }

    /// <summary>A budget as a frame.</summary>
    /// <param name="budget">The budget options.</param>
    public static BudgetFrame ToFrame(TransformBudgetOptions budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new BudgetFrame(budget.WallTime.Ticks, budget.Grace.Ticks, budget.MaxAllocatedBytes, budget.MaxCallDepth);
    }

    /// <summary>A budget from a frame. Quarantine is the gateway's: a host never quarantines on its own.</summary>
    /// <param name="frame">The frame.</param>
    public static TransformBudgetOptions ToBudget(BudgetFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new TransformBudgetOptions
        {
            WallTime = TimeSpan.FromTicks(frame.WallTimeTicks),
            Grace = TimeSpan.FromTicks(frame.GraceTicks),
            MaxAllocatedBytes = frame.MaxAllocatedBytes,
            MaxCallDepth = frame.MaxCallDepth,
        };
    }

    /// <summary>A transform's image as a frame.</summary>
    /// <param name="transform">The compiled transform.</param>
    public static LoadFrame ToFrame(CompiledTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new LoadFrame(
            transform.Key, transform.Name, transform.FilePath, transform.SourceHash,
            transform.Image.Assembly, transform.Image.Symbols, transform.Image.EntryType, transform.Image.EntryMethod);
    }

    /// <summary>A compiled transform from a frame (not loaded yet).</summary>
    /// <param name="frame">The frame.</param>
    public static CompiledTransform ToTransform(LoadFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return new CompiledTransform(frame.Name, frame.FilePath, frame.SourceHash,
            new TransformImage(frame.Assembly, frame.Symbols, frame.EntryType, frame.EntryMethod));
    }

    /// <summary>An alert from a frame.</summary>
    /// <param name="frame">The frame.</param>
    public static WebhookAlert ToAlert(AlertFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Dictionary<string, string>? fields = null;
        if (frame.Fields is { } pairs)
        {
            fields = [];
            foreach (var pair in pairs)
            {
                if (pair is [var name, var value])
                {
                    fields.TryAdd(name, value);
                }
            }
        }

        return new WebhookAlert(frame.Title) { Text = frame.Text, Severity = frame.Severity, Fields = fields, FoldKey = frame.FoldKey };
    }
}
