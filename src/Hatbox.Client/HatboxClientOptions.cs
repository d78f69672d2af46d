namespace Hatbox.Client;

/// <summary>Settings for every request a <see cref="HatboxClient"/> sends.</summary>
public sealed class HatboxClientOptions
{
    /// <summary>The server, e.g. <c>https://hatbox.example.com</c> (as <c>WORQHAT_BASE_URL</c> for the SDKs).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The API key sent as <c>Authorization: Bearer …</c>; a request can override it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The <c>WorqHat-Version</c> to ask for; without it, the organization's pinned version.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Retries after a 429, 503 or network failure, unless the server says <c>x-should-retry: false</c>.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest wait between tries, whatever <c>Retry-After</c> asks for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Per-request settings that override <see cref="HatboxClientOptions"/>.</summary>
public sealed record RequestOptions
{
    public string? ApiKey { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary>Sent as <c>Idempotency-Key</c> on POST: the server replays the first answer for 24 hours.</summary>
    public string? IdempotencyKey { get; init; }

    public int? MaxRetries { get; init; }
}
