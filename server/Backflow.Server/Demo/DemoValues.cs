using System.Globalization;

namespace Backflow.Server.Demo;

/// <summary>Text forms the publish reader accepts, written with the catalog's scale (never decimal.ToString()).</summary>
internal static class DemoValues
{
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A decimal with two places, the scale of every money column in the sample catalog.</summary>
    public static string Money(decimal amount) => decimal.Round(amount, 2).ToString("F2", CultureInfo.InvariantCulture);

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";
}
