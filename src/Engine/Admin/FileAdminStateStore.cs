using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ipvs.Engine;

/// <summary>
/// Admin state in one JSON file. Saving writes a temporary file next to it, flushes it to disk and renames it
/// over the old one, so a crash leaves either the old or the new state, never half of one. A damaged file is
/// reported, kept aside as <c>NAME.damaged</c> for the operator, and read as empty: the daemon keeps running.
/// </summary>
public sealed partial class FileAdminStateStore : IAdminStateStore
{
    private readonly string _path;
    private ILogger _logger;

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
        try
        {
            return Parse(bytes);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            var aside = _path + ".damaged";
            try
            {
                File.Copy(_path, aside, overwrite: true);
            }
            catch (IOException)
            {
                aside = "(could not copy aside)";
            }
            LogDamaged(_logger, _path, ex.Message, aside);
            return [];
        }
    }

    public void Save(IReadOnlyList<AdminRecord> records)
    {
        var dir = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(dir);
        var tmp = _path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    Write(writer, records);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, _path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(tmp);
            throw;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin state file {Path} is damaged ({Error}); starting with no admin state, copy kept at {Aside}")]
    private static partial void LogDamaged(ILogger logger, string path, string error, string aside);
}
