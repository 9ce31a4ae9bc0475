using Microsoft.AspNetCore.Authentication;

namespace Gateway.Authentication;

/// <summary>Options of the API-key authentication scheme.</summary>
internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The realm announced in <c>WWW-Authenticate: Key realm="..."</c>.</summary>
    public string Realm { get; set; } = "gateway";
}
