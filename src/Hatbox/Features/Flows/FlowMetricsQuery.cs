using System.Globalization;
using Hatbox.Common.Errors;
using Hatbox.Data;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Flows.Engine;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Flows;

/// <summary>
/// <c>GET /flows/metrics?start_date=&amp;end_date=&amp;status=&amp;user_id=&amp;page=&amp;limit=</c>: totals
/// over every matching run of the key's workspace, and one page of the runs, newest first.
/// Dates are UTC days (<c>YYYY-MM-DD</c>); <c>end_date</c> includes its whole day.
/// </summary>
internal static class FlowMetricsQuery
{
    const int DefaultLimit = 50;
    const int MaxLimit = 500;

    public static async Task<Results<JsonHttpResult<FlowMetricsResponse>, ApiError>> GetMetrics(
        HttpRequest request, ApiCaller caller, HatboxDbContext db, CancellationToken ct)
    {
        var query = request.Query;
        if (!TryDate(query["start_date"], "start_date", out var start, out var error)
            || !TryDate(query["end_date"], "end_date", out var end, out error))
        {
            return error!;
        }
        var status = query["status"].ToString();
        if (status.Length > 0 && status is not (RunStatus.Completed or RunStatus.Failed or RunStatus.InProgress))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, "status must be completed, failed or in_progress.", "status");
        }
        if (!TryInt(query["page"], 1, int.MaxValue, 1, out var page) || !TryInt(query["limit"], 1, MaxLimit, DefaultLimit, out var limit))
        {
            return ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"page is 1 or more and limit 1 to {MaxLimit}.", "page");
        }
        var userId = query["user_id"].ToString();
        var runs = db.FlowRuns.AsNoTracking().Where(r => r.WorkspaceId == caller.WorkspaceId);
        if (start is { } from)
        {
            runs = runs.Where(r => r.CreatedAt >= from);
        }
        if (end is { } until)
        {
            var before = until.AddDays(1);
            runs = runs.Where(r => r.CreatedAt < before);
        }
        if (status.Length > 0)
        {
            runs = runs.Where(r => r.Status == status);
        }
        if (userId.Length > 0)
        {
            runs = runs.Where(r => r.UserId == userId);
        }
        var all = await runs.Select(r => new { r.UserId, r.Status, r.CreatedAt, r.EndedAt }).ToListAsync(ct);
        var durations = all.Where(r => r.EndedAt is not null).Select(r => (r.EndedAt!.Value - r.CreatedAt).TotalMilliseconds).ToList();
        var byUser = all.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => new FlowUserMetrics(
            g.Count(), g.Count(r => r.Status == RunStatus.Completed), g.Count(r => r.Status == RunStatus.Failed), g.Count(r => r.Status == RunStatus.InProgress)));
        var metrics = new FlowMetrics(all.Count, all.Count(r => r.Status == RunStatus.Completed), all.Count(r => r.Status == RunStatus.Failed),
            all.Count(r => r.Status == RunStatus.InProgress), durations.Count == 0 ? 0 : Math.Round(durations.Average(), 3), byUser);
        var pageOfRuns = await runs.OrderByDescending(r => r.CreatedAt).Skip((page - 1) * limit).Take(limit).ToListAsync(ct);
        var workflows = pageOfRuns.Select(r => new FlowMetricsWorkflow(r.Id, r.FlowId, r.Status, r.OrganizationId, r.UserId, r.CreatedAt, r.EndedAt)).ToList();
        return TypedResults.Json(new FlowMetricsResponse(true, metrics, workflows,
            new FlowMetricsPage(page, limit, all.Count, (long)page * limit < all.Count)), FlowsJsonContext.Default.FlowMetricsResponse);
    }

    static bool TryDate(string? value, string param, out DateTimeOffset? date, out ApiError? error)
    {
        date = null;
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }
        error = ApiError.BadRequest(ErrorCodes.ParameterInvalid, $"{param} is a date: YYYY-MM-DD.", param);
        return false;
    }

    static bool TryInt(string? value, int min, int max, int fallback, out int result)
    {
        result = fallback;
        return string.IsNullOrEmpty(value)
            || (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max);
    }
}
