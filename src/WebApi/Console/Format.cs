using System.Globalization;

namespace Orleans.Webhooks.WebApi.Console;

/// <summary>Times and ages as the console shows them: UTC, to the second.</summary>
public static class Format
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–";

    public static string Age(double seconds) => seconds switch
    {
        <= 0 => "–",
        < 120 => $"{seconds:0} s",
        < 7200 => $"{seconds / 60:0} min",
        < 172800 => $"{seconds / 3600:0.#} h",
        _ => $"{seconds / 86400:0.#} days",
    };
}
