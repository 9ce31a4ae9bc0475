namespace Gateway.Authentication;

/// <summary>Names used to wire API-key authentication into routes.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The authorization policy a route names in <c>AuthorizationPolicy</c> to require a key.</summary>
    public const string Policy = "api-key";

    /// <summary>The header and the query parameter the key is read from.</summary>
    public const string KeyName = "apikey";
}
