namespace Backflow.Server.Problems;

/// <summary>Builds problem-details results with a stable type per kind of error.</summary>
internal static class Problem
{
    public static IResult Of(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type, extensions: extensions);

    public static IResult Unauthenticated(string detail) =>
        Of(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthenticated, "Authentication required", detail);

    public static IResult Forbidden(string detail) =>
        Of(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Not permitted", detail);

    public static IResult InvalidPath(string detail) =>
        Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidPath, "Invalid path", detail);

    public static IResult InvalidRequest(string detail) =>
        Of(StatusCodes.Status400BadRequest, ProblemTypes.InvalidRequest, "Invalid request", detail);

    public static IResult NotFound(string detail) =>
        Of(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", detail);
}
