namespace Ipvs.Daemon.Import;

/// <summary>
/// A check mapping in writing order: key → value, where a value is a string, a number, a bool, a list of strings
/// (written as a flow sequence) or a list of <see cref="ImportedStep"/> (expect steps).
/// </summary>
internal sealed class ImportedCheck
{
    private readonly List<KeyValuePair<string, object>> _options = [];

    public ImportedCheck(string type) => Set("type", type);

    public ImportedCheck()
    {
    }

    public IReadOnlyList<KeyValuePair<string, object>> Options => _options;

    public string? Type => Get("type") as string;

    public bool IsEmpty => _options.Count == 0;

    public object? Get(string key)
    {
        foreach (var (k, v) in _options)
        {
            if (k == key)
            {
                return v;
            }
        }
        return null;
    }

    public ImportedCheck Set(string key, object value)
    {
        for (var i = 0; i < _options.Count; i++)
        {
            if (_options[i].Key == key)
            {
                _options[i] = new(key, value);
                return this;
            }
        }
        _options.Add(new(key, value));
        return this;
    }

    public void Remove(string key) => _options.RemoveAll(o => o.Key == key);

    /// <summary>A text form of a value for comparing checks (two checks are shared when every key's form is equal).</summary>
    public static string Canonical(object value) => value switch
    {
        IEnumerable<string> list => "[" + string.Join("\u0001", list) + "]",
        IEnumerable<ImportedStep> steps => "{" + string.Join("\u0001", steps.Select(s => s.Key + "\u0002" + s.Value)) + "}",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
