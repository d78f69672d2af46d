using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Hatbox.Common;
using Microsoft.Win32.SafeHandles;

namespace Hatbox.Features.Usage;

/// <summary>
/// The write-ahead journal of billed requests (issue 17 item 3): before a billed request is
/// answered, its count is appended here and flushed to disk (one <c>fdatasync</c> covers every
/// request waiting at that moment, about 0.2 ms on the dev VM, where a SQLite commit of the same
/// counts cost several times that in CPU and fsyncs). The journal is a folder of numbered segment
/// files under the data folder; the usage writer folds the counts into <c>usage_daily</c> every
/// two seconds, records the last segment it folded in the same transaction (<see cref="UsageWriter"/>),
/// then deletes it. At start, the segments after that mark are replayed, so a crash loses no
/// acknowledged count and never counts a segment twice. One writer at a time (the recorder's gate).
/// </summary>
internal sealed class UsageJournal : IDisposable
{
    const string SegmentSuffix = ".log";
    // A record: payload length and CRC-32 of the payload, then the payload. A torn tail (power
    // loss during a write) fails its length or CRC and ends the segment: its requests were never
    // acknowledged, since their flush had not returned.
    const int HeaderBytes = 8;
    const int MaxRecordBytes = 64 * 1024 * 1024;
    // Room for ~2 s of groups under load (a group is a record of ~100 bytes per key); past it a
    // segment grows like any file, only its flushes are slower.
    const long PreparedBytes = 4 * 1024 * 1024;

    readonly string _folder;
    SafeFileHandle? _segment;
    long _segmentLength;
    long _syncs;

    public UsageJournal(string folder)
    {
        _folder = folder;
        DiskSync.CreateFolder(folder);
        NodeId = LoadOrCreateNodeId(Path.Combine(folder, "node"));
    }

    /// <summary>This data folder's journal in the shared <c>usage_daily</c> table (several nodes may share a PostgreSQL platform database).</summary>
    public string NodeId { get; }

    /// <summary>The segment appends go to.</summary>
    public long Current { get; private set; }

    /// <summary>Nothing appended to the current segment yet.</summary>
    public bool CurrentIsEmpty => _segmentLength == 0;

    /// <summary>Flushes to disk so far: the countable seam tests use to prove a count was synced before its answer.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Runs on the syncer before each flush: a seam tests use to hold a flush and show that no answer leaves meanwhile.</summary>
    internal Action? BeforeFlush { get; set; }

    /// <summary>The segment numbers on disk, oldest first.</summary>
    public IReadOnlyList<long> Segments() =>
        [.. Directory.EnumerateFiles(_folder, "*" + SegmentSuffix)
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1)
            .Where(number => number >= 0)
            .Order()];

    /// <summary>Every count of one segment, up to its first torn or damaged record.</summary>
    public List<(UsageKey Key, long Requests)> Read(long segment)
    {
        var counts = new List<(UsageKey, long)>();
        var bytes = File.ReadAllBytes(SegmentPath(segment));
        var offset = 0;
        while (bytes.Length - offset >= HeaderBytes)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4));
            if (length <= 0 || length > bytes.Length - offset - HeaderBytes)
            {
                break;
            }
            var payload = bytes.AsSpan(offset + HeaderBytes, length);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                break;
            }
            ReadPayload(payload, counts);
            offset += HeaderBytes + length;
        }
        return counts;
    }

    /// <summary>Starts segment <paramref name="number"/>: later appends go there. Closes the one before.</summary>
    public void StartSegment(long number)
    {
        Prepare(number);
        _segment?.Dispose();
        _segment = File.OpenHandle(SegmentPath(number), FileMode.Open, FileAccess.Write, FileShare.Read);
        _segmentLength = 0;
        Current = number;
    }

    /// <summary>
    /// Makes segment <paramref name="number"/>'s file ahead of its use, filled with zeros, flushed,
    /// and its name flushed into the folder. A flush that only overwrites blocks already written
    /// needs no file-system journal commit: appending to a growing or new file made every flush
    /// wait for one (with other work writing to the disk, for seconds: issue 17's bench stalled).
    /// Zeros read back as the end of the segment.
    /// </summary>
    public void Prepare(long number)
    {
        var path = SegmentPath(number);
        if (File.Exists(path) && new FileInfo(path).Length >= PreparedBytes)
        {
            return;
        }
        using (var file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            var zeros = new byte[1024 * 1024];
            for (long offset = 0; offset < PreparedBytes; offset += zeros.Length)
            {
                RandomAccess.Write(file, zeros, offset);
            }
            RandomAccess.FlushToDisk(file);
        }
        DiskSync.FlushDirectory(_folder);
    }

    /// <summary>Appends one record with these counts and flushes it to disk; returns once it is there.</summary>
    public void Append(IReadOnlyCollection<KeyValuePair<UsageKey, long>> counts)
    {
        var record = Encode(counts);
        RandomAccess.Write(_segment!, record, _segmentLength);
        _segmentLength += record.Length;
        BeforeFlush?.Invoke();
        RandomAccess.FlushToDisk(_segment!);
        Interlocked.Increment(ref _syncs);
    }

    /// <summary>Deletes every segment up to and including <paramref name="last"/>: their counts are in <c>usage_daily</c>.</summary>
    public void DeleteThrough(long last)
    {
        foreach (var segment in Segments().Where(segment => segment <= last && segment < Current))
        {
            File.Delete(SegmentPath(segment));
        }
    }

    string SegmentPath(long number) => Path.Combine(_folder, number.ToString("D12", CultureInfo.InvariantCulture) + SegmentSuffix);

    // One record at a time (one writer), so one buffer serves every append: a sync allocates nothing.
    readonly MemoryStream _record = new();

    ReadOnlySpan<byte> Encode(IReadOnlyCollection<KeyValuePair<UsageKey, long>> counts)
    {
        _record.SetLength(HeaderBytes);
        _record.Position = HeaderBytes;
        using (var writer = new BinaryWriter(_record, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(counts.Count);
            foreach (var (key, requests) in counts)
            {
                writer.Write(key.OrganizationId);
                writer.Write(key.WorkspaceId);
                writer.Write(key.KeyId);
                writer.Write(key.Day);
                writer.Write(key.EndpointGroup);
                writer.Write(key.StatusCode);
                writer.Write(requests);
            }
        }
        var payloadLength = _record.Length - HeaderBytes;
        if (payloadLength > MaxRecordBytes)
        {
            _record.SetLength(0);
            _record.Capacity = 0;
            throw new IOException("A usage journal record is too large.");
        }
        var record = _record.GetBuffer().AsSpan(0, (int)_record.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record, (int)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.HashToUInt32(record[HeaderBytes..]));
        return record;
    }

    static void ReadPayload(ReadOnlySpan<byte> payload, List<(UsageKey, long)> counts)
    {
        using var stream = new MemoryStream(payload.ToArray());
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = new UsageKey(reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadInt32());
            counts.Add((key, reader.ReadInt64()));
        }
    }

    static string LoadOrCreateNodeId(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var id = "node_" + Guid.NewGuid().ToString("N");
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encoding.UTF8.GetBytes(id));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        DiskSync.FlushDirectory(Path.GetDirectoryName(path)!);
        return id;
    }

    public void Dispose()
    {
        _segment?.Dispose();
        _record.Dispose();
    }
}
