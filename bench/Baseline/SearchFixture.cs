using System.Text;

namespace Baseline;

/// <summary>
/// The rows and vectors of bench/run.sh's <c>semantic_search</c> scenario, kept in one file so that
/// they are embedded once (bench/Hatbox.Benchmarks writes it and seeds Hatbox from it; the baseline
/// searches it in memory): the row count, the dimensions, then per row its text and its vector.
/// </summary>
static class SearchFixture
{
    public static (string[] Texts, float[][] Vectors) Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        var rows = reader.ReadInt32();
        var dimensions = reader.ReadInt32();
        var texts = new string[rows];
        var vectors = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            texts[i] = reader.ReadString();
            vectors[i] = new float[dimensions];
            reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors[i].AsSpan()));
        }
        return (texts, vectors);
    }

    public static void Write(string path, string[] texts, float[][] vectors)
    {
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
        {
            writer.Write(texts.Length);
            writer.Write(vectors.Length > 0 ? vectors[0].Length : 0);
            for (var i = 0; i < texts.Length; i++)
            {
                writer.Write(texts[i]);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vectors[i].AsSpan()));
            }
        }
        File.Move(temporary, path, overwrite: true);
    }
}
