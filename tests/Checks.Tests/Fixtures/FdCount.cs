namespace Ipvs.Checks.Tests.Fixtures;

/// <summary>Open file descriptors and child processes of this process, to prove a check leaks neither.</summary>
internal static class FdCount
{
    public static int Open() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>Waits (bounded) until the count drops back to at most <paramref name="expected"/>; returns the last count.</summary>
    public static async Task<int> SettlesAtAsync(int expected, int slack = 2)
    {
        var n = Open();
        for (var i = 0; i < 50 && n > expected + slack; i++)
        {
            await Task.Delay(20);
            n = Open();
        }
        return n;
    }

    public static int Children()
    {
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            var path = Path.Combine(task, "children");
            if (File.Exists(path))
            {
                count += File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            }
        }
        _ = self;
        return count;
    }

    /// <summary>Processes anywhere whose command line holds <paramref name="text"/>, after waiting (bounded) for them to go.</summary>
    public static async Task<int> ProcessesWithAsync(string text)
    {
        var count = 0;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            count = 0;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(text, StringComparison.Ordinal))
                    {
                        count++;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
            if (count == 0)
            {
                return 0;
            }
            await Task.Delay(50);
        }
        return count;
    }
}
