using System.ComponentModel.DataAnnotations;

namespace Hatbox.Features.Ai.Embeddings;

/// <summary>
/// Which model turns text into vectors (<c>Ai:Embeddings:…</c>). The default runs
/// all-MiniLM-L6-v2 on this machine's CPU, so search works offline with no account anywhere.
/// </summary>
internal sealed class EmbeddingOptions
{
    public const string SectionName = "Ai:Embeddings";

    /// <summary><c>local</c> (the bundled MiniLM), <c>openai</c> (any OpenAI-compatible <c>/v1/embeddings</c>) or <c>ollama</c>.</summary>
    [Required, RegularExpression("^(local|openai|ollama)$")] public string Provider { get; set; } = EmbeddingProviders.Local;

    /// <summary>Base address of a remote provider, e.g. <c>http://127.0.0.1:11434</c>; unused for <c>local</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Model name sent to a remote provider; recorded with every vector either way.</summary>
    public string? Model { get; set; }

    /// <summary>Bearer key for an OpenAI-compatible endpoint; from the environment, never a committed file.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Dimensions of the remote model's vectors, when known ahead (the local model has 384).</summary>
    [Range(0, 65_536)] public int Dimensions { get; set; }

    /// <summary>Texts embedded in one model call; larger batches are faster per text, up to a point.</summary>
    [Range(1, 1_024)] public int BatchSize { get; set; } = 32;

    /// <summary>Word pieces kept of one text (the local model was trained on 256; more is cut).</summary>
    [Range(8, 512)] public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// CPU threads one local model call may use; 0 lets ONNX Runtime take every core. One by
    /// default, so the background indexer leaves the other cores to requests.
    /// </summary>
    [Range(0, 256)] public int Threads { get; set; } = 1;

    /// <summary>Seconds a remote provider may take for one batch.</summary>
    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 60;
}

internal static class EmbeddingProviders
{
    public const string Local = "local";
    public const string OpenAi = "openai";
    public const string Ollama = "ollama";
}
