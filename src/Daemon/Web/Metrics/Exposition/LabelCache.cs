namespace Ipvs.Daemon.Web.Metrics.Exposition;

/// <summary>
/// The encoded <c>{labels}</c> of every row a scrape exported, kept between scrapes so that a scrape only
/// formats values: a row's labels are encoded once, when it first appears, and forgotten at the first scrape
/// that no longer has it (a reload removed it). Not thread-safe: the caller renders one scrape at a time.
/// </summary>
internal sealed class LabelCache<TKey>(Func<TKey, byte[]> encode) where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries = [];
    private int _scrape;

    public int Count => _entries.Count;

    /// <summary>Starts a scrape: rows not asked for until <see cref="Sweep"/> are dropped.</summary>
    public void Begin() => _scrape++;

    public byte[] Get(TKey key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(encode(key));
            _entries.Add(key, entry);
        }
        entry.Scrape = _scrape;
        return entry.Labels;
    }

    public void Sweep()
    {
        List<TKey>? stale = null;
        foreach (var (key, entry) in _entries)
        {
            if (entry.Scrape != _scrape)
            {
                (stale ??= []).Add(key);
            }
        }
        foreach (var key in stale ?? [])
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry(byte[] labels)
    {
        public byte[] Labels { get; } = labels;

        public int Scrape { get; set; }
    }
}
