using System;
using System.Linq;
using System.Threading;
using ScottPlot;
using SkiaSharp;

namespace NetGen.Mnist;

/// <summary>Chooses the font of the charts: a sans-serif system font if there is one, else <see cref="PixelFont"/>.</summary>
internal static class ChartFonts
{
    /// <summary>Sans-serif families tried in order (Linux, then macOS and Windows).</summary>
    private static readonly string[] Preferred =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Open Sans", "Roboto", "FreeSans", "Ubuntu", "Cantarell", "Arial", "Helvetica", "Segoe UI"];

    private static readonly Lazy<string> Resolved = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object Gate = new();
    private static bool _pixelFontRegistered;

    /// <summary>The family the charts use on this machine.</summary>
    public static string Family => Resolved.Value;

    /// <summary>Whether the charts fall back to the built-in <see cref="PixelFont"/> (no usable system font).</summary>
    public static bool UsesBuiltInFont => Family == PixelFont.FamilyName;

    /// <summary>Makes <paramref name="family"/> known to ScottPlot if it is the built-in font.</summary>
    public static void Prepare(string family)
    {
        if (family != PixelFont.FamilyName) return;
        lock (Gate)
        {
            if (_pixelFontRegistered) return;
            // First, so that ScottPlot asks it before the system's resolver.
            Fonts.FontResolvers.Insert(0, new PixelFontResolver());
            _pixelFontRegistered = true;
        }
    }

    /// <summary>A new typeface of <paramref name="family"/> for drawing with SkiaSharp directly.</summary>
    public static SKTypeface Typeface(string family)
    {
        if (family == PixelFont.FamilyName) return PixelFont.CreateTypeface();
        return SKFontManager.Default.MatchFamily(family) ?? PixelFont.CreateTypeface();
    }

    private static string Resolve()
    {
        foreach (string family in Preferred)
        {
            if (IsUsable(family)) return family;
        }
        string[] installed;
        try
        {
            installed = SKFontManager.Default.GetFontFamilies();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            installed = [];
        }
        foreach (string family in installed.Order(StringComparer.Ordinal))
        {
            if (IsUsable(family)) return family;
        }
        return PixelFont.FamilyName;
    }

    /// <summary>Whether <paramref name="family"/> is installed and has the characters the charts write.</summary>
    private static bool IsUsable(string family)
    {
        using SKTypeface? typeface = SKFontManager.Default.MatchFamily(family);
        return typeface is not null && typeface.GlyphCount > 0
            && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)
            && typeface.ContainsGlyphs("Training loss: 0123456789 (%) / pred");
    }

    private sealed class PixelFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing)
            => fontName == PixelFont.FamilyName ? PixelFont.CreateTypeface() : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic)
            => fontName == PixelFont.FamilyName ? PixelFont.CreateTypeface() : null;
    }
}
