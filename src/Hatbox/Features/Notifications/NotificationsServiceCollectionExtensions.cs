using Microsoft.Extensions.Options;

namespace Hatbox.Features.Notifications;

internal static class NotificationsServiceCollectionExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, string dataDirectory)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IEmailTransport>(provider =>
            string.IsNullOrWhiteSpace(provider.GetRequiredService<IOptions<EmailOptions>>().Value.Host)
                ? new PickupFolderEmailTransport(Path.Combine(dataDirectory, "outbox"))
                : ActivatorUtilities.CreateInstance<SmtpEmailTransport>(provider));
        services.AddSingleton<OutboxSender>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxSender>());
        return services;
    }
}
