using Hatbox.Common.Json;
using Hatbox.Data;
using Hatbox.Features.Health;
using Hatbox.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hatbox.Hosting;

/// <summary>Builds the server: services, listeners and the request pipeline of DESIGN.md §5.</summary>
internal static class HatboxApp
{
    public static WebApplication Build(ServeSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddHatboxSources(settings);
        ConfigureLogging(builder.Logging);

        var services = builder.Services;
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ServerIdentity>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, HatboxJsonContext.Default));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddProblemDetails();

        var server = builder.Configuration.GetSection(ServerOptions.SectionName).Get<ServerOptions>() ?? new ServerOptions();
        var dataDirectory = Path.GetFullPath(server.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var database = new PlatformDatabase(dataDirectory);
        services.AddSingleton(database);
        services.AddDbContext<HatboxDbContext>(db => db
            .UseSqlite(database.ConnectionString)
            .AddInterceptors(new SqliteDurabilityInterceptor()));
        services.AddSingleton<PlatformDatabaseProbe>();
        services.AddHostedService(sp => sp.GetRequiredService<PlatformDatabaseProbe>());

        var tls = builder.Configuration.GetSection(TlsOptions.SectionName).Get<TlsOptions>() ?? new TlsOptions();
        var certificate = TlsCertificates.Load(tls, dataDirectory, TimeProvider.System);
        services.AddSingleton(certificate);
        builder.WebHost.ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, server, certificate.Certificate));

        configure?.Invoke(builder);
        var app = builder.Build();
        UsePipeline(app, server);
        MapEndpoints(app);
        return app;
    }

    static void UsePipeline(WebApplication app, ServerOptions server)
    {
        if (server.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders(ForwardedHeadersSetup.Create(server.TrustedProxies));
        }
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeEnvelope.WriteAsync);
        app.UseMiddleware<HttpsOnlyMiddleware>();
    }

    static void MapEndpoints(WebApplication app)
    {
        app.MapHealth();
    }

    static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        // ASP.NET's own request scope would carry Kestrel's connection id as "RequestId"; ours carries req_….
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }
}
