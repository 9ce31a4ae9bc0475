namespace Gateway.Terminations;

/// <summary>The <c>message</c> of each body the gateway produces; transforms and clients match on these.</summary>
internal static class TerminationMessages
{
    public const string NoApiKey = "No API key found in request";
    public const string InvalidApiKey = "Invalid authentication credentials";
    public const string Forbidden = "You cannot consume this service";
    public const string NoRoute = "No route matched the request";
    public const string RateLimited = "API rate limit exceeded";
    public const string PayloadTooLarge = "Request body too large";
    public const string BadRequestBody = "The request body could not be read";
    public const string UpstreamUnreachable = "The upstream server could not be reached";
    public const string UpstreamInvalidResponse = "An invalid response was received from the upstream server";
    public const string UpstreamTimeout = "The upstream server did not answer in time";
    public const string NoHealthyDestination = "No healthy upstream destination is available";
    public const string GatewayError = "An unexpected error occurred in the gateway";
}
