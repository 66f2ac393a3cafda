namespace Ipvs.Fuzzing;

/// <summary>
/// One generated input: a seed (or, with <see cref="Seed"/> −1, random <see cref="Noise"/>) with edits applied in
/// order. Kept as the recipe rather than the bytes so a failure shrinks by dropping edits.
/// </summary>
internal sealed record FuzzCase(int Seed, byte[] Noise, FuzzEdit[] Edits)
{
    public byte[] Materialize(IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(Seed >= 0 ? seeds[Seed] : Noise);
        foreach (var e in Edits)
        {
            e.ApplyTo(data);
        }
        return [.. data];
    }

    public override string ToString() =>
        $"seed {Seed}, noise {Convert.ToHexString(Noise)}, edits [{string.Join(", ", Edits)}]";
}
