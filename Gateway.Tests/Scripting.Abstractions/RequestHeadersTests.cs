using Gateway.Scripting;

namespace Gateway.Tests.Scripting.Abstractions;

/// <summary><c>Request.Headers</c>: read-only, a copy, and <see langword="null"/> for a header the request did not send.</summary>
public sealed class RequestHeadersTests
{
    [Fact]
    public void Indexer_Absent_IsNullNotAnException()
    {
        var headers = new RequestHeaders([new("Accept", "application/json")]);

        Assert.Null(headers["content-type"]);
        Assert.Equal("application/json", headers["ACCEPT"]);
    }

    [Fact]
    public void ThroughTheInterface_AbsentStillThrows_AsIReadOnlyDictionaryPromises()
    {
        IReadOnlyDictionary<string, string> headers = new RequestHeaders([new("Accept", "application/json")]);

        Assert.Throws<KeyNotFoundException>(() => headers["content-type"]);
        Assert.Equal("application/json", headers["accept"]);
    }

    [Fact]
    public void TryGetValueContainsKeyAndEnumeration_WorkAsOnADictionary()
    {
        var headers = new RequestHeaders([new("Accept", "application/json"), new("X-Request-Id", "abc")]);

        Assert.True(headers.TryGetValue("x-request-id", out var id));
        Assert.Equal("abc", id);
        Assert.False(headers.TryGetValue("x-missing", out _));
        Assert.True(headers.ContainsKey("ACCEPT"));
        Assert.Equal(2, headers.Count);
        Assert.Equal(["Accept", "X-Request-Id"], headers.Keys);
        Assert.Equal(["application/json", "abc"], headers.Values);
        Assert.Equal([new("Accept", "application/json"), new("X-Request-Id", "abc")], headers.ToList());
    }

    [Fact]
    public void SameNameInTwoCases_KeepsBothValuesJoined()
    {
        var headers = new RequestHeaders([new("X-Forwarded-For", "10.0.0.1"), new("x-forwarded-for", "10.0.0.2")]);

        Assert.Equal("10.0.0.1, 10.0.0.2", headers["X-FORWARDED-FOR"]);
        Assert.Single(headers);
    }

    [Fact]
    public void RequestInfo_CopiesTheDictionaryItIsGiven()
    {
        var source = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["apikey"] = RequestRedaction.Redacted };
        var request = new RequestInfo("GET", "example.com", "/", "", source, null, null, "trace", TerminationKind.Unauthorized);

        source["apikey"] = "secret";
        source["x-added"] = "later";

        Assert.Equal(RequestRedaction.Redacted, request.Headers["apikey"]);
        Assert.Null(request.Headers["x-added"]);
    }

    [Fact]
    public void NothingHandedOut_LeadsBackToAMutableCollection()
    {
        var request = new RequestInfo(
            "GET", "example.com", "/", "", new Dictionary<string, string> { ["apikey"] = RequestRedaction.Redacted }, null, null, "trace", TerminationKind.Unauthorized);
        object headers = request.Headers;

        // Before: Request.Headers was the Dictionary itself, and a cast let one transform rewrite it for the next.
        Assert.IsNotAssignableFrom<IDictionary<string, string>>(headers);
        Assert.IsNotAssignableFrom<ICollection<KeyValuePair<string, string>>>(headers);
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)request.Headers.Keys).Add("x"));
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)request.Headers.Values).Clear());
        Assert.Equal(RequestRedaction.Redacted, request.Headers["apikey"]);
    }
}
