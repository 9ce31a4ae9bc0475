// Plain YARP with an API-key route, the way a YARP user would write it: ASP.NET Core authentication and
// authorization, and a challenge that answers {"message":"No API key found in request"} as the gateway's
// untransformed 401 does. Routes and clusters come from appsettings.json (ReverseProxy section).
using Bench.PlainYarp;
using Microsoft.AspNetCore.Authentication;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(new ApiKeys(builder.Configuration.GetSection("ApiKeys").Get<string[]>() ?? []));
builder.Services.AddAuthentication()
    .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, _ => { });
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("api-key", policy => policy.AddAuthenticationSchemes(ApiKeyHandler.SchemeName).RequireAuthenticatedUser());
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapReverseProxy();
await app.RunAsync();
