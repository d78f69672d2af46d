using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hatbox.Client;

/// <summary>
/// Sends one request: the key and version headers, retries of a 429, 408 or 5xx (and of a failed
/// connection) after <c>Retry-After</c> or a capped exponential wait, never when the server says
/// <c>x-should-retry: false</c>, and the error envelope turned into <see cref="HatboxApiException"/>.
/// </summary>
internal sealed class HatboxTransport(HttpClient http, HatboxClientOptions options)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Sends and returns the successful answer, headers read and body not yet; the caller disposes it.
    /// <c>content</c> makes the body afresh for each try (null: none); <c>replayable</c> is false for a
    /// body that cannot be sent twice (a stream that cannot seek), which turns retries off.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Func<HttpContent?>? content, RequestOptions? request,
        CancellationToken cancellationToken, bool replayable = true)
    {
        var retries = replayable ? Math.Max(0, request?.MaxRetries ?? options.MaxRetries) : 0;
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            AddHeaders(message, request);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < retries)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            if (attempt < retries && ShouldRetry(response))
            {
                var delay = RetryDelay(response, attempt);
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (response)
            {
                throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends and reads a JSON answer.</summary>
    public async Task<T> SendJsonAsync<T>(HttpMethod method, string path, object? body, RequestOptions? request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, body is null ? null : () => JsonContent.Create(body, options: Json), request, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HatboxApiException(response.StatusCode, "api_error", "invalid_response", "The server answered with an empty body.", null, RequestIdOf(response));

    void AddHeaders(HttpRequestMessage message, RequestOptions? request)
    {
        if ((request?.ApiKey ?? options.ApiKey) is { Length: > 0 } key)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        if ((request?.ApiVersion ?? options.ApiVersion) is { Length: > 0 } version)
        {
            message.Headers.TryAddWithoutValidation("WorqHat-Version", version);
        }
        if (request?.IdempotencyKey is { Length: > 0 } idempotency)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", idempotency);
        }
    }

    static bool ShouldRetry(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("x-should-retry", out var values))
        {
            var value = values.FirstOrDefault();
            if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        var status = (int)response.StatusCode;
        return status is 408 or 429 || (status >= 500 && status != 501);
    }

    TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => (TimeSpan?)null,
        };
        var delay = asked is { } wait && wait >= TimeSpan.Zero ? wait : Backoff(attempt);
        return delay > options.MaxRetryDelay ? options.MaxRetryDelay : delay;
    }

    TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(0.5 * Math.Pow(2, attempt), options.MaxRetryDelay.TotalSeconds);
        // Up to a quarter less, so many clients refused at once do not come back at once.
        return TimeSpan.FromSeconds(seconds * (1 - (Random.Shared.NextDouble() * 0.25)));
    }

    static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Request-Id", out var values) ? values.FirstOrDefault() : null;

    static async Task<HatboxApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            string? Field(JsonElement element, string name) =>
                element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString() : null;
            return new HatboxApiException(response.StatusCode,
                Field(error, "type") ?? "api_error",
                Field(error, "code") ?? CodeFor(response.StatusCode),
                Field(error, "message") ?? Field(root, "message") ?? $"The server answered {(int)response.StatusCode}.",
                Field(error, "param"),
                Field(root, "requestId") ?? RequestIdOf(response));
        }
        catch (JsonException)
        {
            return new HatboxApiException(response.StatusCode, "api_error", CodeFor(response.StatusCode),
                $"The server answered {(int)response.StatusCode} without an error envelope.", null, RequestIdOf(response));
        }
    }

    static string CodeFor(HttpStatusCode status) => "http_" + ((int)status).ToString(CultureInfo.InvariantCulture);
}
