using System.Net;
using Ipvs.Checks;
using Ipvs.Engine;

namespace Ipvs.Daemon.Config;

/// <summary>
/// Reads one merged check (defaults → service → realserver) into the engine's <see cref="RealServerCheck"/>: the
/// kind's spec, where it goes, and its schedule. Built-in defaults apply where no level wrote a key.
/// </summary>
internal static class CheckReader
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);
    public const int DefaultRise = 2;
    public const int DefaultFall = 2;

    public static RealServerCheck? Read(CheckLayer layer, string path, ConfigProblems problems, CheckContext ctx)
    {
        var map = layer.ToMap(path, problems);
        var type = map.String("type") ?? "tcp";
        if (!CheckKeys.ByKind.TryGetValue(type, out var kindKeys))
        {
            problems.Add(map.Raw("type"), map.Field("type"), $"'{type}' is not a check type (one of: {string.Join(", ", CheckKeys.ByKind.Keys)})");
            return null;
        }
        var before = problems.Items.Count;
        var interval = map.Duration("interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)) ?? DefaultInterval;
        var timeout = map.Duration("timeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5)) ?? DefaultTimeout;
        var rise = map.Int("rise", 1, 100) ?? DefaultRise;
        var fall = map.Int("fall", 1, 100) ?? DefaultFall;
        var fast = map.Duration("fast_interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        var down = map.Duration("down_interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        var jitter = map.Duration("jitter", TimeSpan.Zero, TimeSpan.FromHours(1)) ?? TimeSpan.Zero;
        var address = map.Address("address");
        var port = map.Int("port", 1, 65535);
        var source = map.Address("source_address");
        var mark = map.Int("fwmark", 0, int.MaxValue);

        if (timeout > interval && map.Has("timeout"))
        {
            problems.Add(map.Raw("timeout"), map.Field("timeout"), $"timeout {ValueParser.FormatDuration(timeout)} is longer than the interval {ValueParser.FormatDuration(interval)}: checks would overlap");
        }
        if (jitter >= interval && map.Has("jitter"))
        {
            problems.Add(map.Raw("jitter"), map.Field("jitter"), "jitter must be shorter than the interval");
        }

        var target = new IPEndPoint(address ?? ctx.RealServer.Address, port ?? ctx.RealServer.Port);
        if (source is not null && source.AddressFamily != target.AddressFamily)
        {
            problems.Add(map.Raw("source_address"), map.Field("source_address"), $"source address {source} is not of the same family as the check target {target.Address}");
        }
        if (!ctx.Standalone && type != "icmp" && type != "exec" && target.Port == 0)
        {
            problems.Add(map.Raw("type") ?? ctx.Where, map.Field("port"), $"the {type} check needs a port: the realserver {ctx.RealServer} has none (fwmark service); set check.port");
        }
        if (!ctx.Standalone && port is null && CheckKeys.TcpKinds.Contains(type) && ctx.Protocol != Netlink.IpvsProtocol.Tcp && !ctx.FirewallMark)
        {
            problems.Add(map.Raw("type") ?? ctx.Where, map.Field("type"), $"the {type} check speaks TCP but this is a {ctx.Protocol.ToString().ToLowerInvariant()} service: set check.port to a TCP port, or use a udp/dns check");
        }
        if (!ctx.Standalone && port is null && type == "udp" && ctx.Protocol == Netlink.IpvsProtocol.Tcp && !ctx.FirewallMark)
        {
            problems.Add(map.Raw("type") ?? ctx.Where, map.Field("type"), "the udp check on a tcp service: set check.port to a UDP port, or use a TCP kind of check");
        }

        var spec = CheckSpecReader.Read(type, map, problems);
        map.RejectUnknown($"a {type} check takes: {string.Join(", ", CheckKeys.Common.Concat(kindKeys).Where(k => k != "type"))}");
        if (spec is null || problems.Items.Count != before)
        {
            return null;
        }
        spec = spec with { Timeout = timeout };
        var checkTarget = new CheckTarget(target, ctx.RealServer, ctx.VirtualService, source, (uint)(mark ?? 0));
        var schedule = new CheckSchedule(interval, rise, fall, fast, down, jitter);
        return new RealServerCheck(spec, checkTarget, schedule);
    }
}
