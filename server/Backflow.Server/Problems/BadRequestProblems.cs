using Microsoft.AspNetCore.Diagnostics;

namespace Backflow.Server.Problems;

/// <summary>
/// A query value or JSON body that ASP.NET cannot bind becomes a problem that names it, e.g. <c>Failed to bind parameter
/// "bool? lagging" from "maybe"</c>, instead of a generic "could not be read". Endpoints throw
/// <see cref="BadHttpRequestException"/> for such requests (<c>RouteHandlerOptions.ThrowOnBadRequest</c>); handled
/// here, so .NET 10 records no error diagnostics for what is the client's mistake.
/// </summary>
internal sealed class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Detail = $"{bad.Message.TrimEnd('.')}: {FrameworkProblems.BindingAdvice}",
            },
        });
    }
}
