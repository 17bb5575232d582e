using System.Globalization;

namespace Backflow.Server.Dashboard;

/// <summary>Per-request display preferences (language, time zone) read from cookies set by <c>/dashboard/prefs</c>.</summary>
internal sealed class DashboardView(HttpContext http)
{
    public const string LanguageCookie = "backflow-lang";
    public const string ZoneCookie = "backflow-tz";

    public bool English => http.Request.Cookies[LanguageCookie] == "en";

    public bool Utc => http.Request.Cookies[ZoneCookie] == "utc";

    public string ZoneName => Utc ? "UTC" : TimeZoneInfo.Local.Id;

    public string this[string key] => Labels.Get(key, English);

    public string Time(DateTimeOffset? value) => value is { } v
        ? (Utc ? v.ToUniversalTime() : TimeZoneInfo.ConvertTime(v, TimeZoneInfo.Local)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : this["never"];

    public string Time(string? text) => text is null ? this["never"] : Time(Metadata.Timestamps.Parse(text));

    public string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
}
