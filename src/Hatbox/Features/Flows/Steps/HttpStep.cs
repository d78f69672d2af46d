using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hatbox.Features.Flows.Engine;

namespace Hatbox.Features.Flows.Steps;

/// <summary>
/// <c>http</c>: one outbound call, answered as <c>{status, headers, body}</c> (body parsed when the
/// answer is JSON). Each attempt sends the same <c>Idempotency-Key</c> (run id and step), so a
/// receiver can drop the second copy when a crash makes the step run again.
/// </summary>
internal sealed class HttpStep(OutboundHttp http)
{
    public async Task<JsonNode?> RunAsync(JsonObject with, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (!OutboundHttp.IsAcceptableUrl(with["url"]?.GetValue<string>(), out var url))
        {
            throw new StepFailure(StepErrorCodes.UrlNotAllowed, "url must be an absolute http or https URL without credentials.", retryable: false);
        }
        var method = new HttpMethod(with["method"]?.GetValue<string>() ?? "GET");
        using var request = new HttpRequestMessage(method, url);
        if (with["body"] is { } body)
        {
            request.Content = body is JsonValue value && value.TryGetValue<string>(out var text)
                ? new StringContent(text, Encoding.UTF8, "text/plain")
                : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        if (with["headers"] is JsonObject headers)
        {
            foreach (var (name, header) in headers)
            {
                var headerValue = header?.ToString() ?? "";
                if (!request.Headers.TryAddWithoutValidation(name, headerValue))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, headerValue);
                }
            }
        }
        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(http.Timeout);
        try
        {
            using var response = await http.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var bytes = await ReadCappedAsync(response, http.MaxResponseBytes, limit.Token);
            // Server errors and 429 are worth another attempt; other answers are the step's output.
            if ((int)response.StatusCode >= 500 || response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                throw new StepFailure(StepErrorCodes.HttpError, $"The server answered {(int)response.StatusCode}.");
            }
            return new JsonObject
            {
                ["status"] = (int)response.StatusCode,
                ["headers"] = Headers(response),
                ["body"] = Body(bytes, response.Content.Headers.ContentType?.MediaType),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StepFailure(StepErrorCodes.StepTimeout, $"The call took longer than {http.Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException error)
        {
            throw OutboundHttp.RefusalIn(error) ?? new StepFailure(StepErrorCodes.HttpError, $"The call failed: {error.HttpRequestError}.");
        }
    }

    static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static StepFailure TooLarge(int maxBytes) =>
        new(StepErrorCodes.HttpResponseTooLarge, $"The response is larger than {maxBytes} bytes.", retryable: false);

    static JsonObject Headers(HttpResponseMessage response)
    {
        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }
        return headers;
    }

    static JsonNode? Body(byte[] bytes, string? mediaType)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (mediaType is not null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // A server that says JSON and sends something else: hand over the text.
            }
        }
        return JsonValue.Create(text);
    }
}
