using Backflow.Server.Audit;
using Backflow.Server.Problems;

namespace Backflow.Server.Security;

/// <summary>
/// Endpoint filters that admit a request only with a valid bearer token of the required role. Everything is
/// decided from the token: an unknown or revoked token is 401, the wrong role 403, and both are audited.
/// </summary>
internal static class BearerAuthentication
{
    private const string CallerKey = "backflow.caller";

    public static TBuilder RequireCaller<TCaller, TBuilder>(this TBuilder builder)
        where TCaller : Caller
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var audit = services.GetRequiredService<AuditLog>();
            var token = BearerToken(http.Request);
            var caller = token is null ? null : services.GetRequiredService<TokenRegistry>().Resolve(token);
            if (caller is null)
            {
                await audit.AppendAsync(AuditKinds.AuthenticationFailed, "anonymous", detail: $"{http.Request.Method} {http.Request.Path} from {http.Connection.RemoteIpAddress}: {(token is null ? "no bearer token" : "unknown or revoked token")}");
                return Problem.Unauthenticated(token is null
                    ? "send the token in an 'Authorization: Bearer <token>' header"
                    : "the token is unknown or has been revoked");
            }

            if (caller is not TCaller)
            {
                await audit.AppendAsync(AuditKinds.AccessDenied, caller.Actor, detail: $"{http.Request.Method} {http.Request.Path}: needs {RoleName<TCaller>()} token");
                return Problem.Of(StatusCodes.Status403Forbidden, ProblemTypes.WrongRole, "Wrong role", $"this endpoint needs {RoleName<TCaller>()} token");
            }

            if (caller is AgentCaller agent)
            {
                services.GetRequiredService<TokenRegistry>().TouchAgent(agent.Id);
            }

            http.Items[CallerKey] = caller;
            return await next(context);
        });

    public static TCaller Caller<TCaller>(this HttpContext http)
        where TCaller : Caller =>
        (TCaller)http.Items[CallerKey]!;

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? header[scheme.Length..].Trim()
            : null;
    }

    private static string RoleName<TCaller>() => typeof(TCaller).Name switch
    {
        nameof(AgentCaller) => "an agent",
        nameof(PublisherCaller) => "a publisher",
        nameof(OperatorCaller) => "an operator",
        _ => typeof(TCaller).Name,
    };
}
