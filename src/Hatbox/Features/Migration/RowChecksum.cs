using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hatbox.Features.Migration;

/// <summary>
/// An order-independent checksum of a table: each row's values are written out canonically and
/// hashed with SHA-256, and the hashes are added up (256-bit, wrapping). Both sides can then be
/// read in whatever order their database returns, holding one row at a time.
/// </summary>
internal sealed class RowChecksum
{
    readonly ulong[] _sum = new ulong[4];
    readonly StringBuilder _row = new();

    public long Rows { get; private set; }

    /// <summary>Adds one value of the current row; <see cref="EndRow"/> closes the row.</summary>
    public void Add(object? value)
    {
        _row.Append(value switch
        {
            null or DBNull => "n",
            bool b => b ? "i1" : "i0",
            sbyte or byte or short or ushort or int or uint or long => "i" + Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            ulong u => "i" + u.ToString(CultureInfo.InvariantCulture),
            double d => "r" + BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture),
            float f => "r" + BitConverter.DoubleToInt64Bits(f).ToString(CultureInfo.InvariantCulture),
            decimal m => "d" + m.ToString("G29", CultureInfo.InvariantCulture),
            // PostgreSQL keeps microseconds; .NET ticks are tenths of one.
            DateTimeOffset t => "t" + (t.UtcTicks / 10).ToString(CultureInfo.InvariantCulture),
            DateTime t => "t" + (t.Ticks / 10).ToString(CultureInfo.InvariantCulture),
            TimeSpan t => "s" + (t.Ticks / 10).ToString(CultureInfo.InvariantCulture),
            byte[] bytes => "b" + Convert.ToBase64String(bytes),
            string s => "s" + s.Length.ToString(CultureInfo.InvariantCulture) + ":" + s,
            Enum e => "e" + e.ToString(),
            Guid g => "g" + g.ToString("N"),
            _ => "o" + Convert.ToString(value, CultureInfo.InvariantCulture),
        }).Append('\u001f');
    }

    public void EndRow()
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(_row.ToString()), hash);
        _row.Clear();
        ulong carry = 0;
        for (var i = 0; i < 4; i++)
        {
            var part = BinaryPrimitives.ReadUInt64LittleEndian(hash[(i * 8)..]);
            var sum = _sum[i] + part;
            var next = sum < part ? 1UL : 0UL;
            sum += carry;
            if (sum < carry)
            {
                next = 1;
            }
            _sum[i] = sum;
            carry = next;
        }
        Rows++;
    }

    public string Hex()
    {
        var bytes = new byte[32];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), _sum[i]);
        }
        return Convert.ToHexStringLower(bytes);
    }
}
