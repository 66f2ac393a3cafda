namespace Ipvs.Checks.Probes;

/// <summary>
/// Decodes a chunked HTTP body incrementally: feed received bytes, get body bytes. Sizes are bounded; a malformed
/// stream sets <see cref="Malformed"/>. Trailers are skipped up to the empty line.
/// </summary>
internal struct ChunkedDecoder
{
    private enum State : byte { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done }

    private State _state;
    private long _remaining;
    private int _digits;
    private int _trailerLineLength;

    public readonly bool Done => _state == State.Done;

    public bool Malformed { get; private set; }

    /// <summary>Consumes <paramref name="input"/>, appending body bytes to <paramref name="body"/> from <paramref name="bodyLength"/> (stops copying when full).</summary>
    public void Feed(ReadOnlySpan<byte> input, Span<byte> body, ref int bodyLength)
    {
        var i = 0;
        while (i < input.Length && !Malformed && _state != State.Done)
        {
            var b = input[i];
            switch (_state)
            {
                case State.Size:
                    var hex = HexValue(b);
                    if (hex >= 0 && _digits < 15)
                    {
                        _remaining = (_remaining << 4) | (uint)hex;
                        _digits++;
                    }
                    else if (_digits > 0 && (b == ';' || b == ' ' || b == '\t'))
                    {
                        _state = State.Extension;
                    }
                    else if (_digits > 0 && b == '\r')
                    {
                        _state = State.SizeLf;
                    }
                    else
                    {
                        Malformed = true;
                    }
                    i++;
                    break;
                case State.Extension:
                    if (b == '\r')
                    {
                        _state = State.SizeLf;
                    }
                    i++;
                    break;
                case State.SizeLf:
                    if (b != '\n')
                    {
                        Malformed = true;
                    }
                    _state = _remaining == 0 ? State.Trailer : State.Data;
                    _trailerLineLength = 0;
                    i++;
                    break;
                case State.Data:
                    var take = (int)Math.Min(_remaining, input.Length - i);
                    var room = Math.Min(take, body.Length - bodyLength);
                    input.Slice(i, room).CopyTo(body[bodyLength..]);
                    bodyLength += room;
                    _remaining -= take;
                    i += take;
                    if (_remaining == 0)
                    {
                        _state = State.DataCr;
                    }
                    break;
                case State.DataCr:
                    Malformed = b != '\r';
                    _state = State.DataLf;
                    i++;
                    break;
                case State.DataLf:
                    Malformed = b != '\n';
                    _state = State.Size;
                    _digits = 0;
                    i++;
                    break;
                case State.Trailer:
                    if (b == '\r')
                    {
                        _state = State.TrailerLf;
                    }
                    else
                    {
                        _trailerLineLength++;
                    }
                    i++;
                    break;
                case State.TrailerLf:
                    _state = _trailerLineLength == 0 ? State.Done : State.Trailer;
                    _trailerLineLength = 0;
                    i++;
                    break;
            }
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
