namespace Hatbox.Features.Plans;

internal static class PlansServiceCollectionExtensions
{
    public static IServiceCollection AddPlans(this IServiceCollection services)
    {
        services.AddOptions<Dictionary<string, PlanOptions>>()
            .Configure(plans =>
            {
                foreach (var (name, plan) in PlanCatalog.Defaults)
                {
                    plans[name] = new PlanOptions
                    {
                        RequestsPerMinute = plan.RequestsPerMinute,
                        RequestsPerMonth = plan.RequestsPerMonth,
                        StorageBytes = plan.StorageBytes,
                        OveragePricePer1000 = plan.OveragePricePer1000,
                    };
                }
            })
            .BindConfiguration(PlanCatalog.SectionName);
        services.AddSingleton<PlanCatalog>();
        services.AddScoped<StorageQuota>();
        return services;
    }
}
