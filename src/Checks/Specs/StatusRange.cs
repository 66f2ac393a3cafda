namespace Ipvs.Checks;

/// <summary>An inclusive range of HTTP status codes; a single code is a range of one.</summary>
public readonly record struct StatusRange(int From, int To)
{
    public StatusRange(int code)
        : this(code, code)
    {
    }

    public bool Contains(int status) => status >= From && status <= To;

    public override string ToString() => From == To ? From.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{From}-{To}";
}
