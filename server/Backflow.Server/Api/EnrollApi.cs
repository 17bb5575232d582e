using Backflow.Server.Agents;
using Backflow.Server.Keys;
using Backflow.Server.Problems;

namespace Backflow.Server.Api;

/// <summary>The one anonymous route: an agent trades its one-time enrollment code for a token and the keys to pin.</summary>
internal static class EnrollApi
{
    public static RouteGroupBuilder MapEnrollApi(this RouteGroupBuilder api)
    {
        api.MapPost("/enroll", Enroll);
        return api;
    }

    private static IResult Enroll(HttpContext http, EnrollRequest? request, AgentRegistry agents, SigningKeyStore keys)
    {
        if (string.IsNullOrWhiteSpace(request?.Code))
        {
            return Problem.InvalidRequest("send {\"code\": \"<enrollment code>\"}; the operator gets the code from `backflow-server agents add`");
        }

        var enrolled = agents.Enroll(request.Code, "anonymous@" + http.Connection.RemoteIpAddress);
        if (enrolled is not { } result)
        {
            return Problem.Of(StatusCodes.Status401Unauthorized, ProblemTypes.EnrollmentFailed, "Enrollment failed",
                "the enrollment code is unknown, already used or expired; ask the operator for a new one (`backflow-server agents add`)");
        }

        return TypedResults.Ok(new
        {
            agentId = result.AgentId,
            token = result.Token,
            keys = keys.TrustedKeys.Select(k => new { keyId = k.KeyId, fingerprint = k.Fingerprint, publicKeyPem = k.ToPem() }),
        });
    }

    private sealed record EnrollRequest(string? Code);
}
