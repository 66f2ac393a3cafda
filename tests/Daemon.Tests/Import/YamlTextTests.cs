using Ipvs.Daemon.Import;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Ipvs.Daemon.Tests.Import;

public sealed class YamlTextTests
{
    public static TheoryData<string> Tricky => new()
    {
        "", "yes", "No", "null", "~", "1.0", "200", "0x1f", "1:30", "-1", ".5", "10.0.0.1:80", "[2001:db8::1]:80", "a: b", "a #b", "#x",
        "[x]", "{x}", "x, y", "- x", "? x", "'q'", "\"q\"", "back\\slash", "tab\there", "line\nbreak", "cr\r", "ü ñ", "*ref", "&anchor",
        "!tag", "%pct", "@at", "`bt", "|pipe", ">gt", "end:", "PING\\n", "^PONG$", "{rs_address}", "/health?x=1&y=2", "\u0001ctl",
    };

    [Theory]
    [MemberData(nameof(Tricky))]
    public void String_AnyText_ReadsBackTheSameInBlockAndFlowContext(string text)
    {
        var spelt = YamlText.String(text);
        var doc = $"block: {spelt}\nflow: {{ a: {spelt}, b: [{spelt}, {spelt}] }}\n";
        var stream = new YamlStream();
        stream.Load(new StringReader(doc));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.Equal(text, ((YamlScalarNode)root["block"]).Value);
        var flow = (YamlMappingNode)root["flow"];
        Assert.Equal(text, ((YamlScalarNode)flow["a"]).Value);
        Assert.All(((YamlSequenceNode)flow["b"]).Children, n => Assert.Equal(text, ((YamlScalarNode)n).Value));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1.0")]
    [InlineData("200")]
    [InlineData("")]
    public void String_ValueAResolverWouldRetype_IsQuoted(string text) => Assert.StartsWith("\"", YamlText.String(text), StringComparison.Ordinal);

    [Fact]
    public void String_PlainSafe_StaysPlain() => Assert.Equal("10.0.0.1:80", YamlText.String("10.0.0.1:80"));
}
