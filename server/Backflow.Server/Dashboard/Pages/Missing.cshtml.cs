using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backflow.Server.Dashboard.Pages;

/// <summary>
/// A dashboard address that names no page, agent or dataset (a mistyped link, a revoked agent's old bookmark): a page
/// in the operator's language with a way back, with status 404, instead of the API's JSON problem.
/// </summary>
internal sealed class MissingModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status404NotFound;
}
