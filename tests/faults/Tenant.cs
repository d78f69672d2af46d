using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Hatbox.FaultTests;

/// <summary>One bootstrapped organization and the calls and checks the fault tests make on its data.</summary>
internal sealed record Tenant(string DataDirectory, string ApiKey, string OrganizationId)
{
    public static async Task<Tenant> BootstrapAsync(string dataDirectory)
    {
        var boot = await ServerProcess.AdminAsync(dataDirectory, "admin", "bootstrap", "--email", "faults@example.test",
            "--password", "a long test password", "--org", "Faults", "--workspace", "faults");
        return new Tenant(dataDirectory, boot.GetProperty("apiKey").GetString()!, boot.GetProperty("organizationId").GetString()!);
    }

    public async Task<HttpStatusCode> QueryAsync(HttpClient client, string sql, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/db/query", JsonContent.Create(new { query = sql }), cancellationToken);
        return response.StatusCode;
    }

    public async Task<HttpStatusCode> InsertAsync(HttpClient client, long n, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/db/insert",
            JsonContent.Create(new { table = "acks", data = new { n } }), cancellationToken);
        return response.StatusCode;
    }

    /// <summary>Uploads <paramref name="file"/> as <paramref name="path"/>, a folder and a file name.</summary>
    public async Task<HttpStatusCode> UploadAsync(HttpClient client, string path, HttpContent file, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        file.Headers.ContentType = new("application/octet-stream");
        form.Add(file, "file", Path.GetFileName(path));
        form.Add(new StringContent(Path.GetDirectoryName(path)!), "path");
        using var response = await SendAsync(client, HttpMethod.Post, "/storage/upload", form, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            LastFailure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
        }
        return response.StatusCode;
    }

    /// <summary>The last refused upload's status and body, for a test's failure message.</summary>
    public string? LastFailure { get; private set; }

    public async Task<HttpStatusCode> AuthenticateAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/authentication", null, cancellationToken);
        return response.StatusCode;
    }

    public async Task<long> FileSizeAsync(HttpClient client, string path)
    {
        using var response = await SendAsync(client, HttpMethod.Get, $"/storage/fetch-by-path?filepath={Uri.EscapeDataString(path)}", null, default);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("file").GetProperty("size").GetInt64();
    }

    public async Task<HashSet<long>> StoredNumbersAsync(HttpClient client)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/db/query",
            JsonContent.Create(new { query = "SELECT n FROM acks" }), default);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("data").EnumerateArray().Select(row => row.GetProperty("n").GetInt64())];
    }

    /// <summary>Billed requests as the platform database has them on disk (read beside the running server, WAL included).</summary>
    public long CountedRequests()
    {
        using var connection = Open(Path.Combine(DataDirectory, "hatbox.db"));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(Requests), 0) FROM usage_daily WHERE OrganizationId = $org AND StatusCode NOT IN (429, 503)";
        command.Parameters.AddWithValue("$org", OrganizationId);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary><c>PRAGMA integrity_check</c> on the platform database and every tenant database.</summary>
    public void AssertEveryDatabaseIsIntact()
    {
        var tenants = Path.Combine(DataDirectory, "tenants");
        var files = Directory.Exists(tenants) ? Directory.GetFiles(tenants, "*.db", SearchOption.AllDirectories) : [];
        foreach (var file in files.Prepend(Path.Combine(DataDirectory, "hatbox.db")))
        {
            using var connection = Open(file);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", (string)command.ExecuteScalar()!);
        }
    }

    static SqliteConnection Open(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>The rows a query answers, through the API.</summary>
    public async Task<List<JsonElement>> RowsAsync(HttpClient client, string sql)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/db/query", JsonContent.Create(new { query = sql }), default);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("data").EnumerateArray().Select(row => row.Clone())];
    }

    public Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ApiKey);
        return client.SendAsync(request, cancellationToken);
    }

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
