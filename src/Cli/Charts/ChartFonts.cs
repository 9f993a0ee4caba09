using System;
using System.IO;
using System.Threading;
using ScottPlot;
using SkiaSharp;

namespace NetGen.Cli;

/// <summary>
/// The font of the charts: DejaVu Sans (Latin-1 and a few punctuation marks), embedded in the program, so that the charts
/// have their titles and labels, and look the same, on any machine: a bare container has no fonts at all.
/// </summary>
/// <remarks>Charts/DejaVuSans-LICENSE.txt says where the font comes from, how it was cut down, and its licence.</remarks>
internal static class ChartFonts
{
    /// <summary>
    /// The name ScottPlot knows the embedded font by: not "DejaVu Sans", so that it is never mistaken for (or hidden by)
    /// an installed copy.
    /// </summary>
    public const string Family = "NetGen DejaVu Sans";

    private const string ResourceName = "NetGen.Cli.Charts.DejaVuSans-Latin1.ttf";

    private static readonly Lazy<byte[]> FontFile = new(ReadFontFile, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Makes <see cref="Family"/> known to ScottPlot (once).</summary>
    public static void Prepare()
    {
        lock (Gate)
        {
            if (_registered) return;
            // First, so that ScottPlot asks it before the system's resolver.
            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
            _registered = true;
        }
    }

    /// <summary>A new typeface of the embedded font, for drawing with SkiaSharp directly.</summary>
    public static SKTypeface CreateTypeface()
    {
        using SKData data = SKData.CreateCopy(FontFile.Value);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp cannot load the embedded font.");
    }

    private static byte[] ReadFontFile()
    {
        using Stream stream = typeof(ChartFonts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The program lacks its font ({ResourceName}).");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private sealed class EmbeddedFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing)
            => fontName == Family ? ChartFonts.CreateTypeface() : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic)
            => fontName == Family ? ChartFonts.CreateTypeface() : null;
    }
}
