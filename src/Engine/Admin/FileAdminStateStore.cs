using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ipvs.Engine;

/// <summary>
/// Admin state in one JSON file. Saving writes a temporary file next to it, flushes it to disk and renames it
/// over the old one, then flushes the directory, so a crash leaves either the old or the new state, never half of
/// one. A damaged file is reported, kept aside as <c>NAME.damaged</c> for the operator, and read as empty: the daemon
/// keeps running. A file that cannot be read at all (permissions, a directory, an I/O error) is never overwritten:
/// every save fails with the reason until it is gone (moved away by the operator) or the daemon restarts.
/// </summary>
/// <remarks>
/// Whoever can write state_dir must not get the daemon to write through a link: temporary files get a random name
/// and are created with O_CREAT|O_EXCL (<see cref="FileMode.CreateNew"/>, which never follows a symbolic link), and
/// reach their final name by rename, which replaces a link instead of writing through it.
/// </remarks>
public sealed partial class FileAdminStateStore : IAdminStateStore
{
    private readonly string _path;
    private ILogger _logger;
    private string? _unreadable;

    public FileAdminStateStore(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        _logger = logger ?? NullLogger.Instance;
    }

    public string Description => "file " + _path;

    /// <summary>Where a damaged file is reported, for a store made before the host's logging was set up.</summary>
    public void UseLogger(ILogger logger) => _logger = logger;

    public IReadOnlyList<AdminRecord> Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_path);
        }
        catch (FileNotFoundException)
        {
            return [];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _unreadable = ex.Message;
            LogUnreadable(_logger, _path, ex.Message);
            return [];
        }
        _unreadable = null;
        try
        {
            return Parse(bytes);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            var aside = _path + ".damaged";
            try
            {
                WriteReplacing(aside, stream => stream.Write(bytes));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                aside = "(could not copy aside)";
            }
            LogDamaged(_logger, _path, ex.Message, aside);
            return [];
        }
    }

    public void Save(IReadOnlyList<AdminRecord> records)
    {
        if (_unreadable is { } why)
        {
            if (File.Exists(_path) || Directory.Exists(_path))
            {
                throw new IOException($"{_path} could not be read at start ({why}); it is not overwritten, so the admin state it holds is not lost: make it readable and restart the daemon, or move it away");
            }
            _unreadable = null;
        }
        WriteReplacing(_path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            Write(writer, records);
        });
    }

    /// <summary>
    /// Opens a new temporary file for writing; never an existing file or link (O_CREAT|O_EXCL). Tests replace it to
    /// make writes fail as on a full disk.
    /// </summary>
    internal Func<string, FileStream> OpenTemp { get; set; } = static tmp => new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None);

    /// <summary>Writes a new file under a random name (never an existing file or link), flushes it, renames it to <paramref name="path"/>.</summary>
    private void WriteReplacing(string path, Action<FileStream> write)
    {
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var tmp = $"{path}.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}.tmp";
        try
        {
            using (var stream = OpenTemp(tmp))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(tmp);
            throw;
        }
        DirectorySync.Flush(dir);
    }

    // A failed save (disk full, read-only directory) must not leave half a file behind, even next to the real one.
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void Write(Utf8JsonWriter w, IReadOnlyList<AdminRecord> records)
    {
        w.WriteStartObject();
        w.WriteNumber("version", 1);
        w.WriteStartArray("realservers");
        foreach (var r in records)
        {
            w.WriteStartObject();
            w.WriteString("virtual_service", r.VirtualService);
            w.WriteString("realserver", r.RealServer.ToString());
            w.WriteString("state", r.State switch
            {
                AdminState.Drain => "drain",
                AdminState.Maintenance => "maintenance",
                _ => "ready",
            });
            if (r.WeightOverride is { } weight)
            {
                w.WriteNumber("weight_override", weight);
            }
            w.WriteString("who", r.Who);
            w.WriteString("at", r.At);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static List<AdminRecord> Parse(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        var list = new List<AdminRecord>();
        foreach (var e in doc.RootElement.GetProperty("realservers").EnumerateArray())
        {
            var state = e.GetProperty("state").GetString() switch
            {
                "ready" => AdminState.Ready,
                "drain" => AdminState.Drain,
                "maintenance" => AdminState.Maintenance,
                var other => throw new FormatException($"unknown admin state '{other}'"),
            };
            int? weight = e.TryGetProperty("weight_override", out var w) ? w.GetInt32() : null;
            if (weight is < 0 or > 65535)
            {
                throw new FormatException($"weight_override {weight} is outside 0..65535");
            }
            list.Add(new AdminRecord(
                e.GetProperty("virtual_service").GetString() ?? throw new FormatException("virtual_service is null"),
                IPEndPoint.Parse(e.GetProperty("realserver").GetString() ?? throw new FormatException("realserver is null")),
                state,
                weight,
                e.GetProperty("who").GetString() ?? "",
                e.GetProperty("at").GetDateTimeOffset()));
        }
        return list;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "admin state file {Path} cannot be read ({Error}); starting with no admin state, and admin changes are not saved (the file is not overwritten) until it is readable and the daemon restarts, or it is moved away")]
    private static partial void LogUnreadable(ILogger logger, string path, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin state file {Path} is damaged ({Error}); starting with no admin state, copy kept at {Aside}")]
    private static partial void LogDamaged(ILogger logger, string path, string error, string aside);
}
