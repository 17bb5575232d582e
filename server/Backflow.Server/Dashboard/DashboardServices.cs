namespace Backflow.Server.Dashboard;

/// <summary>Wiring of the operators' dashboard: server-rendered Razor Pages under /dashboard behind a cookie session.</summary>
internal static class DashboardServices
{
    public static IServiceCollection AddBackflowDashboard(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
        })
        // Name the assembly: hosted by a test runner (or any other entry assembly) the pages would not be found.
        .AddApplicationPart(typeof(DashboardServices).Assembly);
        services.AddAuthentication(DashboardAuth.Scheme).AddCookie(DashboardAuth.Configure);
        services.AddAuthorization();
        return services;
    }

    public static WebApplication MapBackflowDashboard(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/", () => Results.Redirect("/dashboard")).ExcludeFromDescription();
        // A display preference, not a state change worth a form: a plain link switches it.
        app.MapGet("/dashboard/prefs", (HttpContext http, string? lang, string? tz, string? back) =>
        {
            var cookie = new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365) };
            if (lang is "zh" or "en")
            {
                http.Response.Cookies.Append(DashboardView.LanguageCookie, lang, cookie);
            }

            if (tz is "local" or "utc")
            {
                http.Response.Cookies.Append(DashboardView.ZoneCookie, tz, cookie);
            }

            return Results.LocalRedirect(back is { } b && b.StartsWith("/dashboard", StringComparison.Ordinal) ? b : "/dashboard");
        });
        return app;
    }
}
