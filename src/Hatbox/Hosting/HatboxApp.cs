using Hatbox.Common.Json;
using Hatbox.Data.Postgres;
using Hatbox.Features.Accounts;
using Hatbox.Features.Ai;
using Hatbox.Features.ApiReference;
using Hatbox.Features.ApiKeys;
using Hatbox.Features.Audit;
using Hatbox.Features.Db;
using Hatbox.Features.Domains;
using Hatbox.Features.Flows;
using Hatbox.Features.Health;
using Hatbox.Features.Idempotency;
using Hatbox.Features.Notifications;
using Hatbox.Features.Organizations;
using Hatbox.Features.Storage;
using Hatbox.Features.Telemetry;
using Hatbox.Features.Usage;
using Hatbox.Features.Versions;
using Hatbox.Features.Workspaces;
using Hatbox.Hosting.Readiness;
using Hatbox.Pipeline;
using Hatbox.Portal;
using Microsoft.AspNetCore.DataProtection;
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
        // Before anything reads configuration, so tests and embedders can override settings and services.
        configure?.Invoke(builder);

        var services = builder.Services;
        var server = services.AddHatboxCore(builder.Configuration);
        var dataDirectory = Path.GetFullPath(server.DataDirectory);
        services.AddSingleton<ServerIdentity>();
        services.TryAddSingleton(provider => new AccessLog(Console.Out, provider.GetRequiredService<TimeProvider>()));
        // Cookie and antiforgery keys live with the data (the folder, or the shared PostgreSQL store), so sessions survive restarts.
        services.AddDataProtection().SetApplicationName("Hatbox").PersistKeysToPlatform(builder.Configuration, dataDirectory);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, HatboxJsonContext.Default));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddStrictTransportSecurity();
        services.AddProblemDetails();
        services.AddSingleton<PlatformDatabaseProbe>();
        services.AddStoreHealth();
        services.AddNotifications(dataDirectory);
        services.AddVersionAnnouncements();
        services.AddPortal();
        services.AddApiReference();
        services.AddSingleton<IdempotencyStage>();
        services.AddHostedService<IdempotencySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<PlatformDatabaseProbe>());
        services.AddTelemetry(builder.Configuration);
        services.AddPlatformStartup();

        var tls = builder.Configuration.GetSection(TlsOptions.SectionName).Get<TlsOptions>() ?? new TlsOptions();
        var certificates = TlsCertificates.Load(tls, dataDirectory, TimeProvider.System, Hosting.Tls.ServerHostNames.Of(server));
        services.AddSingleton(certificates);
        builder.WebHost.ConfigureKestrel(kestrel => KestrelSetup.Configure(kestrel, server, certificates));

        var app = builder.Build();
        UsePipeline(app, server);
        MapEndpoints(app);
        return app;
    }

    static void UsePipeline(WebApplication app, ServerOptions server)
    {
        app.UseTelemetry();
        if (server.TrustedProxies.Length > 0)
        {
            app.UseForwardedHeaders(ForwardedHeadersSetup.Create(server.TrustedProxies));
        }
        app.UseMiddleware<RequestContextMiddleware>();
        app.UseMiddleware<StrictTransportSecurityMiddleware>();
        app.UseExceptionHandler();
        app.UseMiddleware<HttpsOnlyMiddleware>();
        app.UsePortalAssets();
        app.UseNotReadyGate();
        app.UseMiddleware<PreflightStage>();
        app.UseMiddleware<KeyedStages>();
        app.UseMiddleware<ApiVersionStage>();
        // Sessions are read only for endpoints that ask for authorization (/v1 and the portal's pages);
        // the public API authenticates with keys in KeyedStages and skips both (~0.5 µs and 400 B each call).
        app.UseWhen(RequiresAuthorization, session => session.UseAuthentication().UseAuthorization());
        // UseWhen's branch keeps its own properties, so these markers that UseAuthentication and
        // UseAuthorization leave would not reach the app, and WebApplication would add both middlewares
        // again in front of everything. The names are ASP.NET Core's own.
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;
    }

    static bool RequiresAuthorization(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null;

    static void MapEndpoints(WebApplication app)
    {
        // The public WorqHat API: every endpoint answers in the caller's API version (ApiVersionStage).
        var api = app.MapGroup("").WithMetadata(VersionedApi.Instance);
        api.MapHealth();
        api.MapAuthentication();
        api.MapStorage();
        api.MapDb();
        api.MapFlows();
        // Signed download links carry their own proof instead of a key, and answer in no API version.
        app.MapStorageDownloads();

        var v1 = app.MapManagementApi();
        v1.MapAccounts();
        v1.MapWorkspaces();
        v1.MapApiKeys();
        v1.MapAuditEvents();
        v1.MapVersions();
        v1.MapDomains();
        v1.MapOrganizations();
        v1.MapUsage();
        v1.MapSearchIndexes();
        v1.MapFlowsManagement();

        app.MapApiReference();
        app.MapPortal();
    }

    static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.Services.AddSingleton<IExternalScopeProvider, RequestScopeProvider>();
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
