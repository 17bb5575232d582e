using System.Security.Claims;
using Backflow.Server.Metadata;
using Dapper;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Backflow.Server.Dashboard;

/// <summary>The dashboard's cookie session: signed in with an operator token, ended at once when that token is revoked.</summary>
internal static class DashboardAuth
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string TokenIdClaim = "backflow-token-id";

    public static void Configure(CookieAuthenticationOptions options)
    {
        options.LoginPath = "/dashboard/sign-in";
        options.LogoutPath = "/dashboard/sign-out";
        options.Cookie.Name = "backflow-session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        options.Events.OnValidatePrincipal = async context =>
        {
            var tokenId = context.Principal?.FindFirstValue(TokenIdClaim);
            var database = context.HttpContext.RequestServices.GetRequiredService<MetadataDatabase>();
            await using var connection = database.Open();
            var live = tokenId is not null && await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM tokens WHERE token_id = @tokenId AND role = 'operator' AND revoked_at IS NULL", new { tokenId }) == 1;
            if (!live)
            {
                context.RejectPrincipal();
            }
        };
    }
}
