using Microsoft.Extensions.Options;

namespace Hatbox.Features.Plans;

/// <summary>
/// The configured plans by name. The built-in defaults (<c>free</c>, <c>pro</c>) apply unless
/// configuration overrides them; changes to configuration are picked up without a restart.
/// </summary>
internal sealed class PlanCatalog(IOptionsMonitor<Dictionary<string, PlanOptions>> plans)
{
    public const string SectionName = "Plans";
    public const string Free = "free";

    public static readonly Dictionary<string, PlanOptions> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        [Free] = new() { RequestsPerMinute = 60, RequestsPerMonth = 10_000, StorageBytes = 100L * 1024 * 1024, SelfService = true },
        ["pro"] = new() { RequestsPerMinute = 600, RequestsPerMonth = 1_000_000, StorageBytes = 10L * 1024 * 1024 * 1024, OveragePricePer1000 = 0.50m, SelfService = true },
    };

    public IReadOnlyDictionary<string, PlanOptions> All => plans.CurrentValue;

    public bool Exists(string name) => plans.CurrentValue.ContainsKey(name);

    /// <summary>The plan by name; an organization on a plan that was removed from configuration gets free.</summary>
    public PlanOptions Get(string name) =>
        plans.CurrentValue.TryGetValue(name, out var plan) ? plan : plans.CurrentValue.GetValueOrDefault(Free) ?? Defaults[Free];
}
