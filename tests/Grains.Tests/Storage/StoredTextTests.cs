using System.Text.Json;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Tests.Storage;

/// <summary>Derived text made storable: NUL escaped, lone surrogates replaced, everything else untouched.</summary>
public sealed class StoredTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("Zoë 名前 😀 \u0001\u001f\u007f")]
    [InlineData("\\u0000 already text")]
    public void Clean_StorableText_IsTheSameInstance(string text) => Assert.Same(text, StoredText.Clean(text));

    [Theory]
    [InlineData("a\0b", "a\\u0000b")]
    [InlineData("\0", "\\u0000")]
    [InlineData("\0\0", "\\u0000\\u0000")]
    public void Clean_Nul_IsEscaped(string text, string expected) => Assert.Equal(expected, StoredText.Clean(text));

    // Lone surrogates are built here: an attribute's string argument cannot carry one (metadata holds it as UTF-8).
    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { "x" + (char)0xD800 + "y", "x\uFFFDy" },
        { ((char)0xDC00).ToString(), "\uFFFD" },
        { "end" + (char)0xD83D, "end\uFFFD" },
        { "😀\0" + (char)0xDE00 + "😀", "😀\\u0000\uFFFD😀" },
        { (char)0xDE00 + "" + (char)0xD83D, "\uFFFD\uFFFD" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public void Clean_LoneSurrogates_AreReplaced(string text, string expected) => Assert.Equal(expected, StoredText.Clean(text));

    [Fact]
    public void CleanOrNull_Null_IsNull() => Assert.Null(StoredText.CleanOrNull(null));

    public static TheoryData<string> NulValues => new() { "a\0b", "\\\0", "\\u0000\0\\\\", "\0\0 name " + (char)0xD800 };

    [Theory]
    [MemberData(nameof(NulValues))]
    public void CleanJson_ReadsBackAsClean(string value)
    {
        var json = JsonSerializer.Serialize(new { name = value, nested = new[] { value } });

        var cleaned = StoredText.CleanJson(json);

        Assert.DoesNotContain("\\u0000", cleaned.Replace("\\\\u0000", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(cleaned);
        var expected = StoredText.Clean(value.Replace('\uD800', '\uFFFD'));
        Assert.Equal(expected, document.RootElement.GetProperty("name").GetString());
        Assert.Equal(expected, document.RootElement.GetProperty("nested")[0].GetString());
    }

    [Fact]
    public void CleanJson_WithoutNul_IsTheSameInstance()
    {
        var json = JsonSerializer.Serialize(new { name = "a\\u0000b" }); // the text \u0000, not a NUL

        Assert.Same(json, StoredText.CleanJson(json));
    }
}
