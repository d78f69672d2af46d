using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Hatbox.Tests.Infrastructure;

/// <summary>
/// The scale-out stores the tests may use, found through environment variables that
/// <c>scripts/services.sh start</c> prints (and <c>scripts/test.sh</c> always sets):
/// <list type="bullet">
/// <item><c>HATBOX_TEST_POSTGRES</c>: an Npgsql connection string of a login that may create databases;</item>
/// <item><c>HATBOX_TEST_S3</c>: the URL of an S3-compatible server (s3rver, credentials S3RVER/S3RVER);</item>
/// <item><c>HATBOX_TEST_PLATFORM=postgres</c>, <c>HATBOX_TEST_TENANTS=postgres</c>, <c>HATBOX_TEST_STORAGE=s3</c>:
/// every <see cref="TestServer"/> then keeps its platform data, its tenants' data (each in a
/// database of its own) and its files (in a bucket of its own) there, so the HTTP suite runs against those stores.</item>
/// </list>
/// A server's database and bucket are named after its data folder, so a restart on the same folder
/// finds the same data, as it would on SQLite.
/// </summary>
public static class ScaleOutStores
{
    public const string S3AccessKey = "S3RVER";
    public const string S3SecretKey = "S3RVER";

    public static string? Postgres => Variable("HATBOX_TEST_POSTGRES");

    public static string? S3 => Variable("HATBOX_TEST_S3");

    public static bool PlatformOnPostgres => Variable("HATBOX_TEST_PLATFORM") == "postgres";

    public static bool StorageOnS3 => Variable("HATBOX_TEST_STORAGE") == "s3";

    public static bool TenantsOnPostgres => Variable("HATBOX_TEST_TENANTS") == "postgres";

    /// <summary>Skips the calling test, with the reason, when PostgreSQL is not configured.</summary>
    public static string RequirePostgres() =>
        Postgres ?? SkipWith("HATBOX_TEST_POSTGRES is not set: run scripts/services.sh start (scripts/test.sh does) to test on PostgreSQL.");

    /// <summary>Skips the calling test, with the reason, when no S3 stand-in is configured.</summary>
    public static string RequireS3() =>
        S3 ?? SkipWith("HATBOX_TEST_S3 is not set: run scripts/services.sh start (scripts/test.sh does) to test on S3.");

    static string SkipWith(string reason)
    {
        Assert.Skip(reason);
        return "";
    }

    /// <summary>The settings that put a server on the configured scale-out stores (none when none are chosen).</summary>
    public static async Task<Dictionary<string, string?>> SettingsForAsync(string dataDirectory)
    {
        var settings = new Dictionary<string, string?>();
        if (PlatformOnPostgres)
        {
            settings["Platform:Provider"] = "postgres";
            settings["Platform:ConnectionString"] = await CreateDatabaseAsync(NameFor(dataDirectory, "hb_"));
        }
        if (TenantsOnPostgres)
        {
            settings["Tenants:Provider"] = "postgres";
            settings["Tenants:ConnectionString"] = await CreateDatabaseAsync(NameFor(dataDirectory, "hbt_"));
        }
        if (StorageOnS3)
        {
            foreach (var (key, value) in S3Settings(NameFor(dataDirectory, "hb-")))
            {
                settings[key] = value;
            }
        }
        return settings;
    }

    /// <summary>Drops what <see cref="SettingsForAsync"/> made for this folder (buckets go with the stand-in's folder).</summary>
    public static async Task DropForAsync(string dataDirectory)
    {
        if (PlatformOnPostgres)
        {
            await DropDatabaseAsync(NameFor(dataDirectory, "hb_"));
        }
        if (TenantsOnPostgres)
        {
            await DropDatabaseAsync(NameFor(dataDirectory, "hbt_"));
        }
    }

    public static Dictionary<string, string?> S3Settings(string bucket) => new()
    {
        ["Storage:Provider"] = "s3",
        ["Storage:S3:ServiceUrl"] = RequireS3(),
        ["Storage:S3:Bucket"] = bucket,
        ["Storage:S3:AccessKey"] = S3AccessKey,
        ["Storage:S3:SecretKey"] = S3SecretKey,
        ["Storage:S3:ForcePathStyle"] = "true",
    };

    /// <summary>A client of the S3 stand-in, to look at buckets behind the server's back.</summary>
    public static Amazon.S3.AmazonS3Client S3Client() => new(
        new Amazon.Runtime.BasicAWSCredentials(S3AccessKey, S3SecretKey),
        new Amazon.S3.AmazonS3Config
        {
            ServiceURL = RequireS3(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        });

    /// <summary>The object keys under <c>{prefix}/</c> in the bucket this server's files go to.</summary>
    public static async Task<string[]> ObjectsAsync(string dataDirectory, string prefix)
    {
        using var client = S3Client();
        try
        {
            var page = await client.ListObjectsV2Async(new() { BucketName = NameFor(dataDirectory, "hb-"), Prefix = prefix + "/" });
            return [.. (page.S3Objects ?? []).Select(o => o.Key[(prefix.Length + 1)..])];
        }
        catch (Amazon.S3.AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>Creates the database if it is not there yet; returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(RequirePostgres());
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            // Names come from NameFor (hex), never from input, so quoting them is enough.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ToString();
    }

    /// <summary>
    /// A node's environment with platform and tenants on <paramref name="connection"/>, and Redis when given:
    /// what every multi-node test starts from, adding its own settings.
    /// </summary>
    public static Dictionary<string, string> NodeEnvironment(string connection, string? redis = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["HATBOX__Platform__Provider"] = "postgres",
            ["HATBOX__Platform__ConnectionString"] = connection,
            ["HATBOX__Tenants__Provider"] = "postgres",
            ["HATBOX__Tenants__ConnectionString"] = connection,
        };
        if (redis is not null)
        {
            environment["HATBOX__Redis__Configuration"] = redis;
        }
        return environment;
    }

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(RequirePostgres());
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A database or bucket name made from a folder path: lower-case hex, valid in both.</summary>
    public static string NameFor(string dataDirectory, string prefix) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..24];

    static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
