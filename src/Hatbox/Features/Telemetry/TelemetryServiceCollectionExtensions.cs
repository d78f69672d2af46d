using System.Net;
using Hatbox.Features.Db;
using Hatbox.Features.Db.Postgres;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Hatbox.Features.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Metrics (the Prometheus listener of <see cref="MetricsOptions"/>), traces over OTLP when
    /// <see cref="OtlpOptions.Endpoint"/> is set, the portal's <see cref="RequestTimeline"/>, and the
    /// timing of tenant statements. Call after the features it observes are added.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OtlpOptions>().BindConfiguration(OtlpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var metrics = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        var otlp = configuration.GetSection(OtlpOptions.SectionName).Get<OtlpOptions>() ?? new OtlpOptions();

        services.AddSingleton<RequestTimeline>();
        services.AddSingleton<QueueDepthGauges>();
        MeterTenantDatabases(services);

        // Neither on: no OpenTelemetry at all, so nothing listens and an instrument's call is a no-op.
        if (!metrics.Enabled && string.IsNullOrEmpty(otlp.Endpoint))
        {
            return services;
        }
        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(otlp.ServiceName));
        if (metrics.Enabled)
        {
            telemetry.WithMetrics(meters => meters.AddMeter(HatboxMetrics.MeterName, HatboxMetrics.MeterName + ".Queues").AddPrometheusExporter(exporter =>
            {
                // The exporter reuses a scrape's answer for 300 ms by default; scrapes come from one
                // loopback collector, so every scrape shows the counts as they are.
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
            services.Configure<KestrelServerOptions>(kestrel => ListenForScrapes(kestrel, metrics));
        }
        if (!string.IsNullOrEmpty(otlp.Endpoint))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNet =>
                {
                    // Scrapes are not traced; every traced request carries the id its caller sees.
                    aspNet.Filter = context => !metrics.Enabled || context.Connection.LocalPort != metrics.Port;
                    aspNet.EnrichWithHttpResponse = (activity, response) =>
                        activity.SetTag("hatbox.request.id", response.HttpContext.TraceIdentifier);
                })
                .AddOtlpExporter(exporter => ConfigureOtlp(exporter, otlp)));
        }
        return services;
    }

    static void ListenForScrapes(KestrelServerOptions kestrel, MetricsOptions metrics)
    {
        Action<ListenOptions> http1 = listen => listen.Protocols = HttpProtocols.Http1;
        if (metrics.ListenAddress is "localhost")
        {
            kestrel.ListenLocalhost(metrics.Port, http1);
        }
        else if (metrics.ListenAddress is "*")
        {
            kestrel.ListenAnyIP(metrics.Port, http1);
        }
        else if (IPAddress.TryParse(metrics.ListenAddress, out var address))
        {
            kestrel.Listen(address, metrics.Port, http1);
        }
    }

    static void ConfigureOtlp(OtlpExporterOptions exporter, OtlpOptions otlp)
    {
        var endpoint = new Uri(otlp.Endpoint!);
        if (otlp.Protocol == "grpc")
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
            return;
        }
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        // Set in code, the HTTP endpoint is used as it is: the signal's path is ours to add.
        exporter.Endpoint = endpoint.AbsolutePath is "/" or "" ? new Uri(endpoint, "/v1/traces") : endpoint;
    }

    /// <summary>Wraps the engine seam that AddDb registered, so every tenant statement is timed whoever runs it.</summary>
    static void MeterTenantDatabases(IServiceCollection services)
    {
        var engine = services.LastOrDefault(d => d.ServiceType == typeof(ITenantDatabaseProvider));
        if (engine?.ImplementationFactory is not { } factory)
        {
            return;
        }
        services.Remove(engine);
        services.AddSingleton<ITenantDatabaseProvider>(provider => new MeteredTenantDatabaseProvider(
            (ITenantDatabaseProvider)factory(provider),
            provider.GetRequiredService<IOptions<TenantStoreOptions>>().Value.UsesPostgres ? "postgresql" : "sqlite"));
    }
}
