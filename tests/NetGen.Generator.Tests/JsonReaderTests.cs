using NetGen.Generator.Spec;
using Xunit;

namespace NetGen.Generator.Tests;

public class JsonReaderTests
{
    [Fact]
    public void Records_the_span_of_every_value()
    {
        const string text = "{ \"a\": [1, -2.5e3, \"x\\u0041\"], \"b\": { \"c\": true } }";
        JsonNode? root = JsonReader.Parse(text, out JsonSyntaxError? error);
        Assert.Null(error);
        JsonNode a = root!.Find("a")!.Value;
        Assert.Equal(JsonKind.Array, a.Kind);
        Assert.Equal("-2.5e3", text.Substring(a.Items[1].Span.Start, a.Items[1].Span.Length));
        Assert.Equal("xA", a.Items[2].Text);
        Assert.Equal(JsonKind.True, root.Find("b")!.Value.Find("c")!.Value.Kind);
    }

    [Theory]
    [InlineData("{\"a\": 01}", "leading zeros")]
    [InlineData("{\"a\": 1,}", "property name")]
    [InlineData("{\"a\": \"x}", "unterminated string")]
    [InlineData("{\"a\": 1, \"a\": 2}", "appears twice")]
    [InlineData("{\"a\": tru}", "unexpected 'tru'")]
    [InlineData("// c\n{}", "comments")]
    public void Reports_the_first_syntax_error(string text, string message)
    {
        Assert.Null(JsonReader.Parse(text, out JsonSyntaxError? error));
        Assert.Contains(message, error!.Message);
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        string text = new string('[', 100_000) + new string(']', 100_000);
        Assert.Null(JsonReader.Parse(text, out JsonSyntaxError? error));
        Assert.Contains("nesting", error!.Message);
    }

    [Fact]
    public void Sixty_four_levels_parse_and_sixty_five_do_not()
    {
        Assert.NotNull(JsonReader.Parse(new string('[', 64) + new string(']', 64), out _));
        Assert.Null(JsonReader.Parse(new string('[', 65) + new string(']', 65), out JsonSyntaxError? error));
        Assert.Equal(64, error!.Span.Start); // at the 65th '['
    }

    [Fact]
    public void Byte_order_mark_is_skipped()
    {
        Assert.NotNull(JsonReader.Parse("\uFEFF{}", out JsonSyntaxError? error));
        Assert.Null(error);
    }
}
