using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting;

/// <summary>
/// The globals of a transform script: the response it reshapes and what it may use to do so.
/// Every public member here is a name that a <c>.csx</c> transform can use directly.
/// </summary>
/// <remarks>
/// <see cref="Body"/> and <see cref="Text"/> are two views of one body: setting either replaces the other.
/// </remarks>
public sealed class ExitContext
{
    // Not public: every public member is a global name in the script. 1xx are interim responses, never final ones.
    private const int LowestStatus = 200;
    private const int HighestStatus = 599;

    private int _status;
    private JsonNode? _body;
    private string? _text;

    /// <summary>Creates the globals for one run of a transform.</summary>
    /// <param name="status">The response status as it stands.</param>
    /// <param name="body">The body as JSON, or <see langword="null"/> when it is empty or not JSON.</param>
    /// <param name="text">The body as text when it is not JSON, or <see langword="null"/>.</param>
    /// <param name="headers">The response headers; the transform changes them in place.</param>
    /// <param name="request">The request being answered.</param>
    /// <param name="webhooks">Where <see cref="Webhooks"/> queues messages.</param>
    /// <param name="log">The logger given to the script, carrying the transform's name.</param>
    public ExitContext(
        int status,
        JsonNode? body,
        string? text,
        ResponseHeaders headers,
        RequestInfo request,
        IWebhookSender webhooks,
        ILogger log)
    {
        Status = status;
        _body = body;
        _text = body is null ? text : null;
        Headers = headers;
        Request = request;
        Webhooks = webhooks;
        Log = log;
    }

    /// <summary>The response status, a final one: within 200–599.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The value is outside 200–599. A 1xx is an interim response: sent as the final one, the client would wait for
    /// ever for the response that follows it. The transform fails and the response stays as it was before it.
    /// </exception>
    public int Status
    {
        get => _status;
        set
        {
            if (value is < LowestStatus or > HighestStatus)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(Status),
                    value,
                    value is >= 100 and < LowestStatus
                        ? $"{value} is an interim (1xx) status, not a final one: a transform's status must be within {LowestStatus}-{HighestStatus}."
                        : $"An HTTP status must be within {LowestStatus}-{HighestStatus} for a transform.");
            }

            _status = value;
        }
    }

    /// <summary>
    /// The body parsed as JSON; <see langword="null"/> when it is empty or not JSON. Setting it replaces
    /// <see cref="Text"/>; setting <see langword="null"/> (with <see cref="Text"/> null too) sends no body.
    /// </summary>
    public JsonNode? Body
    {
        get => _body;
        set
        {
            _body = value;
            _text = null;
        }
    }

    /// <summary>
    /// The body as text when it is not JSON; <see langword="null"/> otherwise. Setting it sends the text as is,
    /// with the <c>Content-Type</c> set in <see cref="Headers"/> (default <c>text/plain; charset=utf-8</c>),
    /// and replaces <see cref="Body"/>.
    /// </summary>
    public string? Text
    {
        get => _text;
        set
        {
            _text = value;
            _body = null;
        }
    }

    /// <summary>The response headers, settable by name: <c>Headers["x-some-header"] = "some value";</c></summary>
    public ResponseHeaders Headers { get; }

    /// <summary>A read-only view of the request: method, host, path, query, headers, client IP, route, trace id.</summary>
    public RequestInfo Request { get; }

    /// <summary>Queues notifications: <c>Webhooks.Send("text")</c> returns at once; delivery is in the background.</summary>
    public IWebhookSender Webhooks { get; }

    /// <summary>A logger that tags every entry with the transform's name.</summary>
    public ILogger Log { get; }
}
