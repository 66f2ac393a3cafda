using Ipvs.Daemon.Alerts;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Config;

/// <summary>Reads the <c>alerts</c> section.</summary>
internal static class AlertsReader
{
    public static AlertsConfig Read(ConfigMap? map, ConfigProblems problems)
    {
        if (map is null)
        {
            return AlertsConfig.None;
        }
        var d = AlertsConfig.None;
        var hold = map.Duration("hold", TimeSpan.Zero, TimeSpan.FromHours(24)) ?? d.Hold;
        var resend = map.Duration("resend", TimeSpan.Zero, TimeSpan.FromDays(7)) ?? d.Resend;
        var maxCount = map.Int("max_count", 0, 1000) ?? d.MaxCount;
        var recovery = map.Bool("recovery") ?? d.Recovery;
        var commands = new List<AlertCommand>();
        var seq = map.Sequence("commands");
        for (var i = 0; seq is not null && i < seq.Children.Count; i++)
        {
            var field = $"{map.Field("commands")}[{i}]";
            if (ConfigMap.From(seq.Children[i], field, problems) is not { } c)
            {
                continue;
            }
            var command = c.String("command");
            if (string.IsNullOrWhiteSpace(command))
            {
                problems.Add(c.Node, c.Field("command"), "a command is needed");
            }
            var args = c.Scalars("args")?.Select(s => s.Value ?? "").ToList() ?? [];
            var timeout = c.Duration("timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)) ?? TimeSpan.FromSeconds(10);
            c.RejectUnknown();
            if (!string.IsNullOrWhiteSpace(command))
            {
                commands.Add(new AlertCommand(command, args, timeout));
            }
        }
        var webhooks = new List<AlertWebhook>();
        seq = map.Sequence("webhooks");
        for (var i = 0; seq is not null && i < seq.Children.Count; i++)
        {
            var field = $"{map.Field("webhooks")}[{i}]";
            if (ConfigMap.From(seq.Children[i], field, problems) is not { } w)
            {
                continue;
            }
            var url = w.String("url");
            Uri? uri = null;
            if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add(w.Raw("url") ?? w.Node, w.Field("url"), url is null ? "a url is needed" : $"'{UrlRedaction.Redact(url)}' is not an http:// or https:// URL");
                uri = null;
            }
            var headers = new List<KeyValuePair<string, string>>();
            if (w.Map("headers") is { } h)
            {
                foreach (var (k, v) in h.Node.Children)
                {
                    var name = (k as YamlScalarNode)?.Value ?? "";
                    if (v is YamlScalarNode sv && sv.Value is { } value && name.Length > 0)
                    {
                        headers.Add(new(name, value));
                    }
                    else
                    {
                        problems.Add(k, h.Field(name), "a header is NAME: value");
                    }
                }
            }
            var timeout = w.Duration("timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)) ?? TimeSpan.FromSeconds(5);
            w.RejectUnknown();
            if (uri is not null)
            {
                webhooks.Add(new AlertWebhook(uri, headers, timeout));
            }
        }
        map.RejectUnknown();
        return new AlertsConfig(hold, resend, maxCount, recovery, commands, webhooks);
    }
}
