namespace Ipvs.Fuzzing;

/// <summary>One edit of a seed input. <see cref="Position"/> and <see cref="Value"/> are reduced modulo the input's size when applied, so any edit applies to any input.</summary>
internal readonly record struct FuzzEdit(FuzzEditKind Kind, int Position, int Value)
{
    // Values that break length and count fields: zero, off-by-one around small headers, sign and width boundaries.
    private static readonly uint[] Interesting = [0, 1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 19, 20, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    public void ApplyTo(List<byte> data)
    {
        var at = data.Count == 0 ? 0 : (int)((uint)Position % (uint)data.Count);
        var v = (uint)Value;
        switch (Kind)
        {
            case FuzzEditKind.FlipBit when data.Count > 0:
                data[at] ^= (byte)(1 << (int)(v % 8));
                break;
            case FuzzEditKind.SetByte when data.Count > 0:
                data[at] = (byte)v;
                break;
            case FuzzEditKind.SetInteresting16 when data.Count > 0:
                Write(data, at, Interesting[v % (uint)Interesting.Length], 2, bigEndian: (v & 0x100) != 0);
                break;
            case FuzzEditKind.SetInteresting32 when data.Count > 0:
                Write(data, at, Interesting[v % (uint)Interesting.Length], 4, bigEndian: (v & 0x100) != 0);
                break;
            case FuzzEditKind.Truncate:
                data.RemoveRange(at, data.Count - at);
                break;
            case FuzzEditKind.Extend:
                for (var i = 0; i < (int)(v % 64) + 1; i++)
                {
                    data.Add((byte)(v >> (i % 4 * 8)));
                }
                break;
            case FuzzEditKind.DeleteChunk when data.Count > 0:
                data.RemoveRange(at, Math.Min((int)(v % 32) + 1, data.Count - at));
                break;
            case FuzzEditKind.DuplicateChunk when data.Count > 0:
                var chunk = data.GetRange(at, Math.Min((int)(v % 64) + 1, data.Count - at));
                data.InsertRange(at, chunk);
                break;
            case FuzzEditKind.InsertByte:
                data.Insert(at, (byte)v);
                break;
        }
    }

    private static void Write(List<byte> data, int at, uint value, int width, bool bigEndian)
    {
        for (var i = 0; i < width && at + i < data.Count; i++)
        {
            var shift = (bigEndian ? width - 1 - i : i) * 8;
            data[at + i] = (byte)(value >> shift);
        }
    }
}
