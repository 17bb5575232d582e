using System.Security.Claims;
using Backflow.Server.Audit;
using Backflow.Server.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backflow.Server.Dashboard.Pages;

/// <summary>Trades an operator token for a cookie session; the token itself is not kept in the cookie.</summary>
internal sealed class SignInModel(TokenRegistry tokens, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Failed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        if (token is null || tokens.Resolve(token.Trim()) is not OperatorCaller caller)
        {
            await audit.AppendAsync(AuditKinds.AuthenticationFailed, "anonymous", detail: $"dashboard sign-in from {HttpContext.Connection.RemoteIpAddress}");
            Failed = true;
            return Page();
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Actor), new Claim(DashboardAuth.TokenIdClaim, caller.Id)], DashboardAuth.Scheme);
        await HttpContext.SignInAsync(DashboardAuth.Scheme, new ClaimsPrincipal(identity));
        return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/dashboard");
    }
}
