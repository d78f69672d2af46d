using System.Globalization;

namespace Hatbox.Features.Usage;

/// <summary>Billing months are calendar months in UTC, named <c>yyyy-MM</c>; quotas reset on the 1st at 00:00 UTC.</summary>
internal static class BillingMonth
{
    public static string Of(DateTimeOffset at) => NamesOf(at).Month;

    public static string Day(DateTimeOffset at) => NamesOf(at).Day;

    /// <summary>
    /// The last date asked for, with its names. Metering and the quota name the current day and month on
    /// every request, and formatting a date costs more than the rest of either; the date changes once a day.
    /// </summary>
    static DayNames? s_last;

    sealed record DayNames(DateOnly Date, string Day, string Month);

    static DayNames NamesOf(DateTimeOffset at)
    {
        var date = DateOnly.FromDateTime(at.UtcDateTime);
        var last = Volatile.Read(ref s_last);
        if (last is null || last.Date != date)
        {
            last = new DayNames(date, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), date.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            Volatile.Write(ref s_last, last);
        }
        return last;
    }

    public static DateTimeOffset NextReset(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }

    public static bool TryParse(string? month, out DateTimeOffset start) =>
        DateTimeOffset.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out start);
}
