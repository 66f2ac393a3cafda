using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;

namespace Ipvs.Fuzzing;

/// <summary>
/// Property-based mutation fuzzing over FsCheck. Inputs are valid seeds with random edits (bit flips, interesting
/// 16/32-bit values written over length and count fields, truncation, extension, deleted or duplicated chunks) or
/// plain random bytes. The property: the target returns, or throws an exception <c>isExpected</c> accepts (its
/// "clear error"), within <see cref="StallLimit"/> — any other exception, or an input that runs too long, is a
/// finding; FsCheck shrinks it to the fewest edits and the test fails showing the recipe and the bytes.
/// <para>
/// Budget: the normal suite runs <c>shortRunInputs</c> inputs, capped at a few seconds of wall time.
/// <c>IPVS_FUZZ_SECONDS=N</c> turns every harness into a long run of N seconds each. With
/// <c>IPVS_FUZZ_REPORT=FILE</c>, each harness appends "name inputs seconds" to FILE.
/// </para>
/// </summary>
internal static class MutationFuzzer
{
    private const int Batch = 500;
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ShortRunCap = TimeSpan.FromSeconds(4);

    public static long Run(string name, IReadOnlyList<byte[]> seeds, Action<byte[]> target, Func<Exception, bool> isExpected, int shortRunInputs = 20_000)
    {
        ArgumentOutOfRangeException.ThrowIfZero(seeds.Count);
        var longSeconds = int.TryParse(Environment.GetEnvironmentVariable("IPVS_FUZZ_SECONDS"), out var s) && s > 0 ? s : 0;
        var budget = longSeconds > 0 ? TimeSpan.FromSeconds(longSeconds) : ShortRunCap;
        var maxInputs = longSeconds > 0 ? long.MaxValue : shortRunInputs;
        var arb = Arb.From(CaseGen(seeds.Count), Shrink);
        var current = Array.Empty<byte>();
        long executed = 0;
        long progress = 0;
        Exception? finding = null;
        var property = Prop.ForAll(arb, (FuzzCase c) =>
        {
            var input = c.Materialize(seeds);
            Volatile.Write(ref current, input);
            try
            {
                target(input);
            }
            catch (Exception e) when (isExpected(e))
            {
            }
            catch (Exception e)
            {
                throw new FuzzFindingException($"{name}: {e.GetType().Name} on input {Convert.ToHexString(input)}", e);
            }
            finally
            {
                Interlocked.Increment(ref progress);
            }
        });
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            try
            {
                while (executed < maxInputs && clock.Elapsed < budget)
                {
                    var n = (int)Math.Min(Batch, maxInputs - executed);
                    Check.One(Config.QuickThrowOnFailure.WithMaxTest(n).WithQuietOnSuccess(true), property);
                    executed += n;
                }
            }
            catch (Exception e)
            {
                finding = e;
            }
        }) { IsBackground = true, Name = "fuzz " + name };
        worker.Start();
        var seen = -1L;
        var since = Stopwatch.StartNew();
        while (!worker.Join(100))
        {
            var p = Interlocked.Read(ref progress);
            if (p != seen)
            {
                seen = p;
                since.Restart();
            }
            else if (since.Elapsed > StallLimit)
            {
                // The worker cannot be stopped; it is a background thread and dies with the test process.
                throw new FuzzFindingException($"{name}: no progress for {StallLimit.TotalSeconds} s on input {Convert.ToHexString(Volatile.Read(ref current))}", null);
            }
        }
        if (finding is not null)
        {
            throw new FuzzFindingException($"{name}: finding within the first {executed + Batch} inputs: {finding.Message}", finding);
        }
        Report(name, executed, clock.Elapsed);
        return executed;
    }

    private static Gen<FuzzCase> CaseGen(int seedCount)
    {
        var edit = from kind in Gen.Choose(0, (int)FuzzEditKind.InsertByte)
                   from position in Gen.Choose(0, int.MaxValue)
                   from value in Gen.Choose(0, int.MaxValue)
                   select new FuzzEdit((FuzzEditKind)kind, position, value);
        var mutated = from seed in Gen.Choose(0, seedCount - 1)
                      from count in Gen.Choose(1, 8)
                      from edits in edit.ArrayOf(count)
                      select new FuzzCase(seed, [], edits);
        var noise = from length in Gen.Choose(0, 200)
                    from bytes in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(length)
                    select new FuzzCase(-1, bytes, []);
        return Gen.Frequency((9, mutated), (1, noise));
    }

    private static IEnumerable<FuzzCase> Shrink(FuzzCase c)
    {
        for (var i = 0; i < c.Edits.Length; i++)
        {
            yield return c with { Edits = [.. c.Edits[..i], .. c.Edits[(i + 1)..]] };
        }
        if (c.Noise.Length > 0)
        {
            yield return c with { Noise = c.Noise[..(c.Noise.Length / 2)] };
        }
    }

    private static void Report(string name, long inputs, TimeSpan elapsed)
    {
        var line = $"fuzz {name}: {inputs} inputs in {elapsed.TotalSeconds:0.0} s, no finding";
        Xunit.TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("IPVS_FUZZ_REPORT") is { Length: > 0 } file)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
