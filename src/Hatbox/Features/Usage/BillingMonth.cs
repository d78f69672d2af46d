using System.Globalization;

namespace Hatbox.Features.Usage;

/// <summary>Billing months are calendar months in UTC, named <c>yyyy-MM</c>; quotas reset on the 1st at 00:00 UTC.</summary>
internal static class BillingMonth
{
    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset NextReset(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }

    public static bool TryParse(string? month, out DateTimeOffset start) =>
        DateTimeOffset.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
}
