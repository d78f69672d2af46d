using Hatbox.Data;
using Microsoft.EntityFrameworkCore;

namespace Hatbox.Features.Usage;

/// <summary>The stored count a quota counter starts a month from.</summary>
internal static class StoredUsage
{
    /// <summary>Requests admitted in <paramref name="month"/> as far as the written usage rows know.</summary>
    public static async Task<long> AdmittedAsync(IServiceScopeFactory scopes, string organizationId, string month, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HatboxDbContext>();
        var prefix = month + "-";
        return await db.UsageDaily.Where(u => u.OrganizationId == organizationId && u.Day.StartsWith(prefix)).Where(UsageDaily.Billed)
            .SumAsync(u => (long?)u.Requests, cancellationToken) ?? 0;
    }
}
