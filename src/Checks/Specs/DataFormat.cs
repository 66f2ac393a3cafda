namespace Ipvs.Checks;

/// <summary>How a send/expect value or a UDP payload is written: plain text (C escapes \r \n \t \\ \xHH), hex bytes, or a regex (expect only).</summary>
public enum DataFormat : byte
{
    Text = 0,
    Hex = 1,
    Regex = 2,
}
