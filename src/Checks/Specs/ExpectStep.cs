namespace Ipvs.Checks;

/// <summary>
/// One step of a send/expect dialogue. Send writes <see cref="Value"/>; Expect reads until the received bytes
/// contain it (text/hex) or match it (regex, evaluated over the text received in this step).
/// </summary>
public sealed record ExpectStep(ExpectAction Action, DataFormat Format, string Value)
{
    public static ExpectStep Send(string text) => new(ExpectAction.Send, DataFormat.Text, text);

    public static ExpectStep SendHex(string hex) => new(ExpectAction.Send, DataFormat.Hex, hex);

    public static ExpectStep Expect(string text) => new(ExpectAction.Expect, DataFormat.Text, text);

    public static ExpectStep ExpectHex(string hex) => new(ExpectAction.Expect, DataFormat.Hex, hex);

    public static ExpectStep ExpectRegex(string pattern) => new(ExpectAction.Expect, DataFormat.Regex, pattern);

    public override string ToString() => Action switch
    {
        ExpectAction.Send => "send " + Value,
        _ => Format == DataFormat.Regex ? "expect /" + Value + "/" : "expect \"" + Value + "\"",
    };
}

public enum ExpectAction : byte
{
    Send = 0,
    Expect = 1,
}
