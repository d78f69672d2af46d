using Microsoft.Extensions.FileProviders;

namespace Hatbox.Portal;

internal static class PortalEndpoints
{
    /// <summary>
    /// The portal's stylesheet and script under <c>/assets</c>, from resources inside the binary.
    /// A branch, so the API's requests pay one path comparison for it.
    /// </summary>
    public static void UsePortalAssets(this WebApplication app) =>
        app.Map("/assets", assets => assets.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(PortalEndpoints).Assembly, "Hatbox.Portal.Assets"),
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "public, max-age=300",
        }));

    public static void MapPortal(this WebApplication app) => app.MapRazorPages();
}
