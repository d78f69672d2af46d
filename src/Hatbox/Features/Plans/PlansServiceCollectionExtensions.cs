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
                        SelfService = plan.SelfService,
                    };
                }
            })
            .BindConfiguration(PlanCatalog.SectionName)
            .Validate(plans => plans.Count > 0 && plans.Values.All(p =>
                p.RequestsPerMinute > 0 && p.RequestsPerMonth > 0 && p.StorageBytes > 0 && p.OveragePricePer1000 is null or >= 0),
                "Every plan needs positive RequestsPerMinute, RequestsPerMonth and StorageBytes, and no negative price.")
            .ValidateOnStart();
        services.AddSingleton<PlanCatalog>();
        services.AddScoped<StorageQuota>();
        return services;
    }
}
