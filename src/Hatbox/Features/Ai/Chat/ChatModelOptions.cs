using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Ai.Chat;

/// <summary>
/// <c>Ai:Chat:…</c>: the chat model behind nl-query (and cluster labels), absent by default. Nothing
/// that works offline depends on it.
/// </summary>
internal sealed class ChatModelOptions : IValidatableObject
{
    public const string SectionName = "Ai:Chat";

    /// <summary><c>none</c>, <c>openai</c> (any OpenAI-compatible endpoint) or <c>ollama</c>.</summary>
    [Required] public string Provider { get; set; } = "none";

    /// <summary>Base URL: for OpenAI-compatible servers the one that ends in <c>/v1</c>.</summary>
    public string? Endpoint { get; set; }

    public string? Model { get; set; }

    /// <summary>Sent as the Bearer token to OpenAI-compatible endpoints; from the environment, never a committed file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one answer may take before the request fails with <c>503 ai_unavailable</c>.</summary>
    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The <c>Retry-After</c> of an <c>ai_unavailable</c> answer.</summary>
    [Range(1, 3_600)] public int RetryAfterSeconds { get; set; } = 10;

    /// <summary>nl-query tries the built-in engine first and asks the model only when it cannot answer.</summary>
    public bool BuiltInFirst { get; set; } = true;

    public bool Enabled => !Provider.Equals("none", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider.ToLowerInvariant() is not ("none" or "openai" or "ollama"))
        {
            yield return new ValidationResult("Ai:Chat:Provider must be none, openai or ollama.", [nameof(Provider)]);
        }
        if (Enabled && (string.IsNullOrWhiteSpace(Model) || !Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Ai:Chat needs Endpoint (an http or https URL) and Model.", [nameof(Endpoint), nameof(Model)]);
        }
    }
}
