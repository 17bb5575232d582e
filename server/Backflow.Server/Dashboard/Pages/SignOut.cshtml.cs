using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backflow.Server.Dashboard.Pages;

/// <summary>Ends the session; POST only (with the antiforgery token), so a link elsewhere cannot sign an operator out.</summary>
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/dashboard");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(DashboardAuth.Scheme);
        return Redirect("/dashboard/sign-in");
    }
}
