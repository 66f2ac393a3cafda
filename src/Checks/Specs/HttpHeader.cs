namespace Ipvs.Checks;

/// <summary>One extra request header.</summary>
public readonly record struct HttpHeader(string Name, string Value)
{
    public override string ToString() => Name + ": " + Value;
}
