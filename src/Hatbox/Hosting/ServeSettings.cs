namespace Hatbox.Hosting;

/// <summary>The flags of <c>hatbox serve</c>; each one that is set overrides configuration.</summary>
internal sealed record ServeSettings(
    string? DataDirectory = null,
    int? HttpsPort = null,
    int? HttpPort = null,
    string? ConfigFile = null,
    string? ListenAddress = null,
    int? MetricsPort = null)
{
    public Dictionary<string, string?> AsConfiguration()
    {
        var values = new Dictionary<string, string?>();
        if (DataDirectory is not null) values["Server:DataDirectory"] = DataDirectory;
        if (HttpsPort is not null) values["Server:HttpsPort"] = HttpsPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (HttpPort is not null) values["Server:HttpPort"] = HttpPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ListenAddress is not null) values["Server:ListenAddress"] = ListenAddress;
        if (MetricsPort is not null) values["Metrics:Port"] = MetricsPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }
}
