using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Terminations;

public sealed class ForwarderErrorClassifierTests
{
    public static TheoryData<ForwarderError, TerminationKind, int, string> Terminations => new()
    {
        { ForwarderError.NoAvailableDestinations, TerminationKind.NoHealthyDestination, 503, "No healthy upstream destination is available" },
        { ForwarderError.RequestTimedOut, TerminationKind.UpstreamTimeout, 504, "The upstream server did not answer in time" },
        { ForwarderError.Request, TerminationKind.UpstreamUnreachable, 502, "The upstream server could not be reached" },
        { ForwarderError.RequestBodyDestination, TerminationKind.UpstreamUnreachable, 502, "The upstream server could not be reached" },
        { ForwarderError.ResponseHeaders, TerminationKind.UpstreamUnreachable, 502, "An invalid response was received from the upstream server" },
        { ForwarderError.RequestBodyClient, TerminationKind.BadRequest, 400, "The request body could not be read" },
    };

    [Theory]
    [MemberData(nameof(Terminations))]
    public void Classify_ForwarderError_GivesItsTermination(ForwarderError error, TerminationKind kind, int status, string message)
    {
        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(error, new HttpRequestException("boom")), new DefaultHttpContext());

        AssertTermination(kind, status, message, termination);
    }

    [Theory]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.RequestBodyCanceled)]
    public void Classify_ClientCanceled_IsNull(ForwarderError error)
    {
        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(error, new OperationCanceledException()), new DefaultHttpContext());

        Assert.Null(termination);
    }

    [Fact]
    public void Classify_RequestBodyClientTooLarge_Is413()
    {
        var tooLarge = new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);

        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(ForwarderError.RequestBodyClient, tooLarge), new DefaultHttpContext());

        AssertTermination(TerminationKind.PayloadTooLarge, 413, "Request body too large", termination);
    }

    [Fact]
    public void Classify_RequestBodyClientTooLargeAsInnerException_Is413()
    {
        var tooLarge = new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
        var wrapped = new IOException("The client reset the request stream.", new InvalidOperationException("copy failed", tooLarge));

        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(ForwarderError.RequestBodyClient, wrapped), new DefaultHttpContext());

        AssertTermination(TerminationKind.PayloadTooLarge, 413, "Request body too large", termination);
    }

    [Fact]
    public void Classify_RequestBodyClientOtherBadRequest_Is400()
    {
        var malformed = new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);

        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(ForwarderError.RequestBodyClient, new IOException("x", malformed)), new DefaultHttpContext());

        AssertTermination(TerminationKind.BadRequest, 400, "The request body could not be read", termination);
    }

    [Fact]
    public void Classify_RequestBodyClientWithoutException_Is400()
    {
        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(ForwarderError.RequestBodyClient, null), new DefaultHttpContext());

        Assert.Equal(TerminationKind.BadRequest, termination?.Kind);
    }

    [Theory]
    [InlineData(ForwarderError.NoAvailableDestinations)]
    [InlineData(ForwarderError.RequestTimedOut)]
    [InlineData(ForwarderError.Request)]
    [InlineData(ForwarderError.RequestBodyClient)]
    public void Classify_RequestAborted_IsNull(ForwarderError error)
    {
        var context = new DefaultHttpContext { RequestAborted = new CancellationToken(canceled: true) };

        var termination = ForwarderErrorClassifier.Classify(new TestForwarderErrorFeature(error, null), context);

        Assert.Null(termination);
    }

    private static void AssertTermination(TerminationKind kind, int status, string message, GatewayTermination? termination)
    {
        Assert.NotNull(termination);
        Assert.Equal((kind, status, message), (termination.Kind, termination.Status, termination.Message));
    }

    private sealed class TestForwarderErrorFeature(ForwarderError error, Exception? exception) : IForwarderErrorFeature
    {
        public ForwarderError Error { get; } = error;

        public Exception? Exception { get; } = exception;
    }
}
