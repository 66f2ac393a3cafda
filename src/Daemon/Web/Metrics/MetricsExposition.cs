using System.IO.Compression;
using Ipvs.Daemon.Web.Metrics.Exposition;
using Ipvs.Daemon.Web.Status;

namespace Ipvs.Daemon.Web.Metrics;

/// <summary>
/// Builds what <c>GET /metrics</c> answers: the per-realserver and per-virtual-service families written from one
/// status snapshot (<see cref="SnapshotSeries"/>, labels encoded once per row and reused), then everything
/// registered on the Prometheus registry, whoever registered it (a new series there needs nothing here). Scrapes
/// render one at a time into one reused buffer; gzip is made only for a scraper that accepts it.
/// </summary>
public sealed class MetricsExposition
{
    private readonly IStatusSource _source;
    private readonly IpvsMetrics _metrics;
    private readonly SnapshotSeries _series;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MemoryStream _buffer = new();

    public MetricsExposition(IStatusSource source, IpvsMetrics metrics, WebOptions options)
    {
        _source = source;
        _metrics = metrics;
        _series = new SnapshotSeries(options.RealserverDetails);
    }

    /// <summary>The exposition, gzip-compressed when <paramref name="gzip"/>.</summary>
    public async Task<byte[]> GetAsync(bool gzip, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RenderAsync(cancellationToken).ConfigureAwait(false);
            var text = _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
            var body = gzip ? Gzip(text) : text.ToArray();
            // Keep the buffer's capacity for the next scrape, unless a much larger topology once grew it.
            if (_buffer.Capacity > 4 * Math.Max(text.Length, 1 << 20))
            {
                _buffer.Capacity = text.Length;
            }
            return body;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RenderAsync(CancellationToken cancellationToken)
    {
        var snapshot = _source.Capture();
        _buffer.SetLength(0);
        _series.Write(_buffer, snapshot);
        _metrics.Refresh(snapshot);
        await _metrics.Registry.CollectAndExportAsTextAsync(_buffer, cancellationToken).ConfigureAwait(false);
    }

    private static byte[] Gzip(ReadOnlySpan<byte> text)
    {
        using var output = new MemoryStream(text.Length / 8 + 64);
        using (var zip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(text);
        }
        return output.ToArray();
    }
}
