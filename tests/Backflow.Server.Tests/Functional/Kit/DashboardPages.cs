using System.Net;
using System.Text.RegularExpressions;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>The dashboard over plain HTTP: sign in with an operator token (the server's cookie client keeps the session), then read pages.</summary>
internal static partial class DashboardPages
{
    public static async Task SignInAsync(BackflowServer server, string token)
    {
        var form = await server.Http.GetStringAsync(new Uri("/dashboard/sign-in", UriKind.Relative));
        var fields = new Dictionary<string, string> { ["token"] = token };
        if (AntiforgeryField().Match(form) is { Success: true } match)
        {
            fields["__RequestVerificationToken"] = match.Groups[1].Value;
        }

        using var response = await server.Http.PostAsync(new Uri("/dashboard/sign-in", UriKind.Relative), new FormUrlEncodedContent(fields));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The page's HTML with character references decoded (Razor writes non-ASCII text as references), in Chinese or English, times in the server's zone or UTC.</summary>
    public static async Task<string> GetAsync(BackflowServer server, string path, bool english = false, bool utc = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var cookies = string.Join("; ", new[] { english ? "backflow-lang=en" : null, utc ? "backflow-tz=utc" : null }.OfType<string>());
        if (cookies.Length > 0)
        {
            request.Headers.Add("Cookie", cookies);
        }

        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return WebUtility.HtmlDecode(text);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
