using System.Text.Json.Nodes;
using Hatbox.Features.Accounts;
using Hatbox.Features.Versions;

namespace Hatbox.Features.ApiReference;

/// <summary>One operation's share of <see cref="DocumentRules"/>: security, request headers, response headers and errors.</summary>
internal sealed class OperationRules(JsonObject operation, OperationFacts facts, JsonObject schemas)
{
    public const string EnvelopeSchema = "ErrorEnvelope";

    public void Apply()
    {
        if (facts.Keyed)
        {
            operation["security"] = new JsonArray(new JsonObject { ["bearerAuth"] = new JsonArray() });
        }
        else if (facts.Session)
        {
            operation["security"] = new JsonArray(new JsonObject { ["session"] = new JsonArray() });
        }
        else
        {
            operation["security"] = new JsonArray();
        }
        AddParameters();
        AddErrors();
        foreach (var (status, response) in DocumentRules.Object(operation, "responses"))
        {
            AddHeaders(status, response!.AsObject());
        }
    }

    void AddParameters()
    {
        if (operation["parameters"] is not JsonArray parameters)
        {
            parameters = [];
            operation["parameters"] = parameters;
        }
        if (facts.Versioned)
        {
            parameters.Add(Header(ApiVersions.HeaderName,
                "The API version for this request; without it, the organization's pinned version.",
                new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. ApiVersions.All.Select(v => JsonValue.Create(v.Name))]) }));
        }
        if (facts.Keyed && facts.Method == "post")
        {
            parameters.Add(Header("Idempotency-Key",
                "Replays the first answer to the same key for 24 hours; the same key with another body is refused.",
                new JsonObject { ["type"] = "string", ["maxLength"] = 255 }));
        }
        if (facts.Session && facts.Method is not ("get" or "head"))
        {
            parameters.Add(Header(SessionDefaults.CsrfHeaderName, "The token from GET /v1/antiforgery.", new JsonObject { ["type"] = "string" }));
        }
        if (parameters.Count == 0)
        {
            operation.Remove("parameters");
        }
    }

    static JsonObject Header(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "header",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
    };

    void AddErrors()
    {
        var responses = DocumentRules.Object(operation, "responses");
        // ApiError's own metadata declares a bare 400 on every endpoint that can return one; the table
        // says which error statuses each operation really has, and which codes each carries.
        foreach (var status in responses.Select(r => r.Key).Where(s => !s.StartsWith('2')).ToList())
        {
            responses.Remove(status);
        }
        foreach (var (status, codes) in OperationErrors.For(facts))
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            responses[key] = new JsonObject
            {
                ["description"] = $"Error: {string.Join(", ", codes)}.",
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject { ["schema"] = EnvelopeWithCodes(codes) },
                },
                ["x-error-codes"] = new JsonArray([.. codes.Select(c => JsonValue.Create(c))]),
            };
        }
        if (!schemas.ContainsKey(EnvelopeSchema))
        {
            throw new InvalidOperationException("The error envelope schema is missing from the generated document.");
        }
    }

    static JsonObject EnvelopeWithCodes(IEnumerable<string> codes) => new()
    {
        ["allOf"] = new JsonArray(
            new JsonObject { ["$ref"] = $"#/components/schemas/{EnvelopeSchema}" },
            new JsonObject
            {
                ["properties"] = new JsonObject
                {
                    ["success"] = new JsonObject { ["const"] = false },
                    ["error"] = new JsonObject
                    {
                        ["properties"] = new JsonObject
                        {
                            ["code"] = new JsonObject { ["enum"] = new JsonArray([.. codes.Select(c => JsonValue.Create(c))]) },
                        },
                    },
                },
            }),
    };

    void AddHeaders(string status, JsonObject response)
    {
        var headers = DocumentRules.Object(response, "headers");
        headers["Request-Id"] = HeaderSchema("The request's id (req_…), also in every error body and log line.");
        if (facts.Versioned)
        {
            headers[ApiVersions.HeaderName] = HeaderSchema("The API version this answer is in.");
        }
        if (facts.Keyed)
        {
            headers["RateLimit-Policy"] = HeaderSchema("The key's rate-limit policy (IETF draft).");
            headers["RateLimit"] = HeaderSchema("Remaining requests and seconds to reset (IETF draft).");
            headers["RateLimit-Limit"] = HeaderSchema("Requests allowed per window.", "integer");
            headers["RateLimit-Remaining"] = HeaderSchema("Requests left in this window.", "integer");
            headers["RateLimit-Reset"] = HeaderSchema("Seconds until the window resets.", "integer");
        }
        if (status is "429" or "503")
        {
            headers["Retry-After"] = HeaderSchema("Seconds to wait before trying again.", "integer");
        }
        if (status is "409" or "422" or "429")
        {
            headers["x-should-retry"] = HeaderSchema("false when retrying the same request cannot succeed (a spent monthly quota, a constraint).");
        }
    }

    static JsonObject HeaderSchema(string description, string type = "string") => new()
    {
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = type },
    };
}
