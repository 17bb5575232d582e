namespace Backflow.Server.Problems;

/// <summary>
/// Gives the problems ASP.NET Core writes by itself (a JSON body or query value that cannot be bound, a path that
/// matches no route) a stable Backflow type, so that clients can match every error on <c>type</c> — including
/// the ones no handler of ours ever saw.
/// </summary>
internal static class FrameworkProblems
{
    /// <summary>What to do about a body or query value that cannot be bound.</summary>
    public const string BindingAdvice = "send JSON and query values of the types protocol/HTTP-API.md gives";

    private const string FrameworkTypePrefix = "https://tools.ietf.org/";

    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is not null && !problem.Type.StartsWith(FrameworkTypePrefix, StringComparison.Ordinal))
        {
            return;
        }

        switch (problem.Status)
        {
            case StatusCodes.Status400BadRequest:
                problem.Type = ProblemTypes.InvalidRequest;
                problem.Detail ??= "the request body or query could not be read: " + BindingAdvice;
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Type = ProblemTypes.InvalidRequest;
                problem.Detail = $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} takes a JSON body: send Content-Type: application/json (protocol/HTTP-API.md shows the fields)";
                break;
            case StatusCodes.Status404NotFound:
                problem.Type = ProblemTypes.NotFound;
                problem.Detail ??= $"no route {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}; the API is described in protocol/HTTP-API.md";
                break;
        }
    }
}
