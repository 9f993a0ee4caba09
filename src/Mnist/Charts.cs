using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ScottPlot;
using SkiaSharp;

namespace NetGen.Mnist;

/// <summary>
/// The program's PNG charts: training curves and a grid of misclassified test digits.
/// </summary>
/// <remarks>
/// Text is drawn with a sans-serif system font when one is installed where SkiaSharp's Linux build looks
/// (/usr/share/fonts), else with <see cref="PixelFont"/>, a small font built into the program, so that the charts
/// have their titles and labels on any machine (a bare container has no fonts at all).
/// </remarks>
internal static class Charts
{
    /// <summary>The size of the training curves chart.</summary>
    internal const int CurvesWidth = 800, CurvesHeight = 500;

    /// <summary>How many times each digit is enlarged in the misclassified grid.</summary>
    internal const int Zoom = 3;

    /// <summary>Tiles per row of the misclassified grid, at most.</summary>
    internal const int GridColumns = 10;

    /// <summary>Layout of the misclassified grid, in pixels.</summary>
    internal const int Margin = 12, TitleHeight = 40, CaptionHeight = 18, TileGap = 8, MinimumGridWidth = 480, NoneHeight = 120;

    private static readonly SKColor Ink = new(0x20, 0x20, 0x20);
    private static readonly SKColor Wrong = new(0xC0, 0x20, 0x20);

    /// <summary>
    /// Writes a PNG (<see cref="CurvesWidth"/> x <see cref="CurvesHeight"/>) of the mean training loss per epoch (left axis)
    /// and the test accuracy per epoch (right axis; epochs without one are left out), with a title, axis labels and a legend.
    /// The folder of <paramref name="path"/> is created if needed.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="epochs">The epochs of the run, in order; non-finite losses are left out.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public static void SaveTrainingCurves(string path, IReadOnlyList<EpochMetrics> epochs)
        => SaveTrainingCurves(path, epochs, ChartFonts.Family);

    /// <summary><see cref="SaveTrainingCurves(string, IReadOnlyList{EpochMetrics})"/> with the given font family (tests use the built-in one).</summary>
    internal static void SaveTrainingCurves(string path, IReadOnlyList<EpochMetrics> epochs, string fontFamily)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(epochs);
        ChartFonts.Prepare(fontFamily);

        using var plot = new Plot();
        plot.Font.Set(fontFamily);
        plot.Legend.FontName = fontFamily;

        EpochMetrics[] withLoss = epochs.Where(e => double.IsFinite(e.Loss)).ToArray();
        EpochMetrics[] withAccuracy = epochs.Where(e => e.TestAccuracy is { } a && double.IsFinite(a)).ToArray();
        var lossColor = new Color(0x1f, 0x77, 0xb4);
        var accuracyColor = new Color(0xd6, 0x27, 0x28);

        plot.Title(epochs.Count == 0 ? "Training: no epochs" : $"Training: loss and test accuracy per epoch ({epochs.Count} epoch{(epochs.Count == 1 ? "" : "s")})");
        plot.Axes.Bottom.Label.Text = "Epoch";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

        plot.Axes.Left.Label.Text = "Training loss (mean per batch)";
        plot.Axes.Left.Label.ForeColor = lossColor;
        if (withLoss.Length > 0)
        {
            var loss = plot.Add.Scatter(withLoss.Select(e => (double)e.Epoch).ToArray(), withLoss.Select(e => e.Loss).ToArray());
            loss.Color = lossColor;
            loss.LineWidth = 2;
            loss.MarkerSize = 6;
            loss.LegendText = "Training loss";
            loss.Axes.YAxis = plot.Axes.Left;
        }

        if (withAccuracy.Length > 0)
        {
            var accuracy = plot.Add.Scatter(withAccuracy.Select(e => (double)e.Epoch).ToArray(), withAccuracy.Select(e => e.TestAccuracy!.Value).ToArray());
            accuracy.Color = accuracyColor;
            accuracy.LineWidth = 2;
            accuracy.MarkerSize = 6;
            accuracy.LegendText = "Test accuracy";
            accuracy.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "Test accuracy (%)";
            plot.Axes.Right.Label.ForeColor = accuracyColor;
        }

        if (withLoss.Length + withAccuracy.Length > 0) plot.ShowLegend(Edge.Bottom);
        plot.Axes.AutoScale();
        if (epochs.Count > 0)
        {
            int first = epochs.Min(e => e.Epoch), last = epochs.Max(e => e.Epoch);
            plot.Axes.SetLimitsX(first - 0.5, last + 0.5);
        }
        // A loss is not negative: its axis starts at 0 (also when one epoch gives a single point).
        if (withLoss.Length > 0 && withLoss.All(e => e.Loss >= 0))
        {
            double top = withLoss.Max(e => e.Loss);
            plot.Axes.SetLimitsY(0, top > 0 ? top * 1.08 : 1, plot.Axes.Left);
        }

        CreateFolder(path);
        plot.SavePng(path, CurvesWidth, CurvesHeight);
    }

    /// <summary>
    /// Writes a PNG grid of the misclassified images of <paramref name="test"/>, the first <paramref name="max"/> in data order,
    /// each enlarged <see cref="Zoom"/> times (white on black, as the network sees it) with a caption "true 7 / pred 2",
    /// under a title with the count; if none is misclassified, a small PNG that says so. Its size follows from the count
    /// (<see cref="MisclassifiedSize"/>). The folder of <paramref name="path"/> is created if needed.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="test">The test set.</param>
    /// <param name="predictions">The predicted class of every image of <paramref name="test"/>, in order (e.g. <see cref="EvaluationResult.Predictions"/>).</param>
    /// <param name="max">How many misclassified images to show at most, 0 or more.</param>
    /// <exception cref="ArgumentException"><paramref name="predictions"/> does not have one prediction per image.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public static void SaveMisclassified(string path, ImageDataset test, IReadOnlyList<int> predictions, int max = 100)
        => SaveMisclassified(path, test, predictions, max, ChartFonts.Family);

    /// <summary><see cref="SaveMisclassified(string, ImageDataset, IReadOnlyList{int}, int)"/> with the given font family (tests use the built-in one).</summary>
    internal static void SaveMisclassified(string path, ImageDataset test, IReadOnlyList<int> predictions, int max, string fontFamily)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (predictions.Count != test.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {test.Count} test images; there must be one per image.", nameof(predictions));

        var wrong = new List<int>();
        int wrongCount = 0;
        for (int i = 0; i < test.Count; i++)
        {
            if (predictions[i] == test.Label(i)) continue;
            wrongCount++;
            if (wrong.Count < max) wrong.Add(i);
        }

        // The pixel font is sharpest at whole multiples of its 10-pixel em (1 font pixel = 1 or 2 image pixels).
        bool pixelFont = fontFamily == PixelFont.FamilyName;
        using SKTypeface typeface = ChartFonts.Typeface(fontFamily);
        using var titleFont = new SKFont(typeface, pixelFont ? 20 : 16);
        using var captionFont = new SKFont(typeface, pixelFont ? 10 : 12);
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var wrongInk = new SKPaint { Color = Wrong, IsAntialias = true };

        (int width, int height) = MisclassifiedSize(wrong.Count, test.Rows, test.Columns);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            string title = wrongCount == 0
                ? $"No misclassified test digits: all {test.Count} are right"
                : $"Misclassified test digits: {wrongCount} of {test.Count}"
                    + (wrong.Count < wrongCount ? $" (the first {wrong.Count} shown)" : "");
            float titleY = wrongCount == 0 ? height / 2f + 6 : Margin + 18;
            ShrinkToFit(titleFont, title, width - 2 * Margin);
            canvas.DrawText(title, width / 2f, titleY, SKTextAlign.Center, titleFont, ink);

            int tileWidth = TileWidth(test.Columns), tileHeight = TileHeight(test.Rows);
            ShrinkToFit(captionFont, "true 8 / pred 8", tileWidth + TileGap - 2);
            int columns = GridColumnCount(wrong.Count);
            int gridWidth = columns * tileWidth + (columns - 1) * TileGap;
            int left = (width - gridWidth) / 2;
            using var digit = new SKBitmap(new SKImageInfo(test.Columns, test.Rows, SKColorType.Gray8, SKAlphaType.Opaque));
            for (int n = 0; n < wrong.Count; n++)
            {
                int index = wrong[n];
                int x = left + n % columns * (tileWidth + TileGap);
                int y = Margin + TitleHeight + n / columns * (tileHeight + TileGap);
                test.Image(index).CopyTo(digit.GetPixelSpan());
                digit.NotifyPixelsChanged();
                int imageWidth = test.Columns * Zoom, imageHeight = test.Rows * Zoom;
                var target = SKRect.Create(x + (tileWidth - imageWidth) / 2, y, imageWidth, imageHeight);
                using (SKImage image = SKImage.FromBitmap(digit))
                    canvas.DrawImage(image, target, new SKSamplingOptions(SKFilterMode.Nearest));
                string caption = string.Create(CultureInfo.InvariantCulture, $"true {test.Label(index)} / pred {predictions[index]}");
                canvas.DrawText(caption, x + tileWidth / 2f, y + imageHeight + CaptionHeight - 4, SKTextAlign.Center, captionFont, wrongInk);
            }
        }

        CreateFolder(path);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>
    /// The size of the misclassified grid for <paramref name="shown"/> tiles of <paramref name="rows"/> x <paramref name="columns"/> images:
    /// up to <see cref="GridColumns"/> tiles a row, as many rows as needed, at least <see cref="MinimumGridWidth"/> wide;
    /// with no tile, <see cref="MinimumGridWidth"/> x <see cref="NoneHeight"/>.
    /// </summary>
    internal static (int Width, int Height) MisclassifiedSize(int shown, int rows = 28, int columns = 28)
    {
        if (shown == 0) return (MinimumGridWidth, NoneHeight);
        int gridColumns = GridColumnCount(shown);
        int gridRows = (shown + gridColumns - 1) / gridColumns;
        int width = Math.Max(MinimumGridWidth, 2 * Margin + gridColumns * TileWidth(columns) + (gridColumns - 1) * TileGap);
        int height = Margin + TitleHeight + gridRows * TileHeight(rows) + (gridRows - 1) * TileGap + Margin;
        return (width, height);
    }

    /// <summary>Makes <paramref name="font"/> smaller if <paramref name="text"/> is wider than <paramref name="width"/>.</summary>
    private static void ShrinkToFit(SKFont font, string text, float width)
    {
        float measured = font.MeasureText(text);
        if (measured > width && measured > 0) font.Size *= width / measured;
    }

    private static int GridColumnCount(int shown) => Math.Clamp(shown, 1, GridColumns);

    /// <summary>A tile is the enlarged image, at least wide enough for its caption.</summary>
    private static int TileWidth(int imageColumns) => Math.Max(imageColumns * Zoom, 96);

    private static int TileHeight(int imageRows) => imageRows * Zoom + CaptionHeight;

    private static void CreateFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}

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

/// <summary>
/// A small TrueType font made in memory from 5x7 pixel glyphs (printable ASCII), for machines without fonts.
/// Each glyph pixel is a 100-unit square of a 1000-unit em, so at 10 pixels (or 20) the glyphs fall on whole pixels
/// and stay sharp; glyphs are 500 units wide and advance 600, stand 700 above the baseline and descend up to 200.
/// </summary>
internal static class PixelFont
{
    public const string FamilyName = "NetGen Pixel";

    private const int First = 32, Last = 126, Pixel = 100, Advance = 600, Ascent = 800, Descent = 200;

    private static readonly Lazy<byte[]> Data = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The TrueType file.</summary>
    public static byte[] FontFile => Data.Value;

    /// <summary>A new typeface of the font.</summary>
    public static SKTypeface CreateTypeface()
    {
        using SKData data = SKData.CreateCopy(FontFile);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp cannot load the built-in font.");
    }

    /// <summary>
    /// Glyphs of characters 32 to 126: rows from the top, '#' ink, '.' none, separated by '|'; rows 0-6 stand on the
    /// baseline, rows 7-8 (if given) descend below it.
    /// </summary>
    private static readonly string[] Glyphs =
    [
        ".....|.....|.....|.....|.....|.....|.....", // space
        "..#..|..#..|..#..|..#..|..#..|.....|..#..", // !
        ".#.#.|.#.#.|.#.#.|.....|.....|.....|.....", // "
        ".#.#.|.#.#.|#####|.#.#.|#####|.#.#.|.#.#.", // #
        "..#..|.####|#.#..|.###.|..#.#|####.|..#..", // $
        "##...|##..#|...#.|..#..|.#...|#..##|...##", // %
        ".##..|#..#.|#.#..|.#...|#.#.#|#..#.|.##.#", // &
        "..#..|..#..|.#...|.....|.....|.....|.....", // '
        "...#.|..#..|.#...|.#...|.#...|..#..|...#.", // (
        ".#...|..#..|...#.|...#.|...#.|..#..|.#...", // )
        ".....|..#..|#.#.#|.###.|#.#.#|..#..|.....", // *
        ".....|..#..|..#..|#####|..#..|..#..|.....", // +
        ".....|.....|.....|.....|.....|.##..|.##..|..#..|.#...", // ,
        ".....|.....|.....|#####|.....|.....|.....", // -
        ".....|.....|.....|.....|.....|.##..|.##..", // .
        ".....|....#|...#.|..#..|.#...|#....|.....", // /
        ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.", // 0
        "..#..|.##..|..#..|..#..|..#..|..#..|.###.", // 1
        ".###.|#...#|....#|...#.|..#..|.#...|#####", // 2
        "#####|...#.|..#..|...#.|....#|#...#|.###.", // 3
        "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.", // 4
        "#####|#....|####.|....#|....#|#...#|.###.", // 5
        "..##.|.#...|#....|####.|#...#|#...#|.###.", // 6
        "#####|....#|...#.|..#..|.#...|.#...|.#...", // 7
        ".###.|#...#|#...#|.###.|#...#|#...#|.###.", // 8
        ".###.|#...#|#...#|.####|....#|...#.|.##..", // 9
        ".....|.##..|.##..|.....|.##..|.##..|.....", // :
        ".....|.##..|.##..|.....|.##..|..#..|.#...", // ;
        "...#.|..#..|.#...|#....|.#...|..#..|...#.", // <
        ".....|.....|#####|.....|#####|.....|.....", // =
        ".#...|..#..|...#.|....#|...#.|..#..|.#...", // >
        ".###.|#...#|....#|...#.|..#..|.....|..#..", // ?
        ".###.|#...#|....#|.##.#|#.#.#|#.#.#|.###.", // @
        ".###.|#...#|#...#|#...#|#####|#...#|#...#", // A
        "####.|#...#|#...#|####.|#...#|#...#|####.", // B
        ".###.|#...#|#....|#....|#....|#...#|.###.", // C
        "###..|#..#.|#...#|#...#|#...#|#..#.|###..", // D
        "#####|#....|#....|####.|#....|#....|#####", // E
        "#####|#....|#....|####.|#....|#....|#....", // F
        ".###.|#...#|#....|#.###|#...#|#...#|.####", // G
        "#...#|#...#|#...#|#####|#...#|#...#|#...#", // H
        ".###.|..#..|..#..|..#..|..#..|..#..|.###.", // I
        "..###|...#.|...#.|...#.|...#.|#..#.|.##..", // J
        "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#", // K
        "#....|#....|#....|#....|#....|#....|#####", // L
        "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#", // M
        "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#", // N
        ".###.|#...#|#...#|#...#|#...#|#...#|.###.", // O
        "####.|#...#|#...#|####.|#....|#....|#....", // P
        ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#", // Q
        "####.|#...#|#...#|####.|#.#..|#..#.|#...#", // R
        ".####|#....|#....|.###.|....#|....#|####.", // S
        "#####|..#..|..#..|..#..|..#..|..#..|..#..", // T
        "#...#|#...#|#...#|#...#|#...#|#...#|.###.", // U
        "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..", // V
        "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.", // W
        "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#", // X
        "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..", // Y
        "#####|....#|...#.|..#..|.#...|#....|#####", // Z
        ".###.|.#...|.#...|.#...|.#...|.#...|.###.", // [
        ".....|#....|.#...|..#..|...#.|....#|.....", // backslash
        ".###.|...#.|...#.|...#.|...#.|...#.|.###.", // ]
        "..#..|.#.#.|#...#|.....|.....|.....|.....", // ^
        ".....|.....|.....|.....|.....|.....|.....|#####", // _
        ".#...|..#..|...#.|.....|.....|.....|.....", // `
        ".....|.....|.###.|....#|.####|#...#|.####", // a
        "#....|#....|#.##.|##..#|#...#|#...#|####.", // b
        ".....|.....|.###.|#....|#....|#...#|.###.", // c
        "....#|....#|.##.#|#..##|#...#|#...#|.####", // d
        ".....|.....|.###.|#...#|#####|#....|.###.", // e
        "..##.|.#..#|.#...|###..|.#...|.#...|.#...", // f
        ".....|.....|.####|#...#|#...#|#...#|.####|....#|.###.", // g
        "#....|#....|#.##.|##..#|#...#|#...#|#...#", // h
        "..#..|.....|.##..|..#..|..#..|..#..|.###.", // i
        "...#.|.....|..##.|...#.|...#.|...#.|...#.|#..#.|.##..", // j
        "#....|#....|#..#.|#.#..|##...|#.#..|#..#.", // k
        ".##..|..#..|..#..|..#..|..#..|..#..|.###.", // l
        ".....|.....|##.#.|#.#.#|#.#.#|#...#|#...#", // m
        ".....|.....|#.##.|##..#|#...#|#...#|#...#", // n
        ".....|.....|.###.|#...#|#...#|#...#|.###.", // o
        ".....|.....|####.|#...#|#...#|#...#|####.|#....|#....", // p
        ".....|.....|.####|#...#|#...#|#...#|.####|....#|....#", // q
        ".....|.....|#.##.|##..#|#....|#....|#....", // r
        ".....|.....|.###.|#....|.###.|....#|####.", // s
        ".#...|.#...|###..|.#...|.#...|.#..#|..##.", // t
        ".....|.....|#...#|#...#|#...#|#..##|.##.#", // u
        ".....|.....|#...#|#...#|#...#|.#.#.|..#..", // v
        ".....|.....|#...#|#...#|#.#.#|#.#.#|.#.#.", // w
        ".....|.....|#...#|.#.#.|..#..|.#.#.|#...#", // x
        ".....|.....|#...#|#...#|#...#|#...#|.####|....#|.###.", // y
        ".....|.....|#####|...#.|..#..|.#...|#####", // z
        "...#.|..#..|..#..|.#...|..#..|..#..|...#.", // {
        "..#..|..#..|..#..|..#..|..#..|..#..|..#..", // |
        ".#...|..#..|..#..|...#.|..#..|..#..|.#...", // }
        ".....|.....|.#...|#.#.#|...#.|.....|.....", // ~
    ];

    /// <summary>The glyph of .notdef: a hollow box.</summary>
    private const string Missing = "#####|#...#|#...#|#...#|#...#|#...#|#####";

    /// <summary>An outline: rectangles (left, bottom, right, top) in font units.</summary>
    private readonly record struct Rect(int Left, int Bottom, int Right, int Top);

    private static byte[] Build()
    {
        if (Glyphs.Length != Last - First + 1) throw new InvalidOperationException("The built-in font has a wrong number of glyphs.");
        var outlines = new List<List<Rect>> { Outline(Missing) };
        foreach (string glyph in Glyphs) outlines.Add(Outline(glyph));
        int glyphCount = outlines.Count;

        // glyf and loca (long offsets).
        var glyf = new BigEndian();
        var loca = new BigEndian();
        int maxPoints = 0, maxContours = 0;
        int xMin = int.MaxValue, yMin = int.MaxValue, xMax = int.MinValue, yMax = int.MinValue;
        var leftBearings = new int[glyphCount];
        for (int g = 0; g < glyphCount; g++)
        {
            loca.U32((uint)glyf.Length);
            List<Rect> rects = outlines[g];
            if (rects.Count == 0) continue;
            int gxMin = rects.Min(r => r.Left), gyMin = rects.Min(r => r.Bottom), gxMax = rects.Max(r => r.Right), gyMax = rects.Max(r => r.Top);
            leftBearings[g] = gxMin;
            (xMin, yMin, xMax, yMax) = (Math.Min(xMin, gxMin), Math.Min(yMin, gyMin), Math.Max(xMax, gxMax), Math.Max(yMax, gyMax));
            maxContours = Math.Max(maxContours, rects.Count);
            maxPoints = Math.Max(maxPoints, rects.Count * 4);
            glyf.I16(rects.Count);
            glyf.I16(gxMin); glyf.I16(gyMin); glyf.I16(gxMax); glyf.I16(gyMax);
            for (int c = 0; c < rects.Count; c++) glyf.U16(c * 4 + 3);
            glyf.U16(0); // no instructions
            for (int p = 0; p < rects.Count * 4; p++) glyf.U8(0x01); // on curve, 16-bit deltas
            // Clockwise (y up): bottom-left, top-left, top-right, bottom-right.
            int x = 0, y = 0;
            foreach (Rect r in rects)
            {
                foreach (int px in new[] { r.Left, r.Left, r.Right, r.Right }) { glyf.I16(px - x); x = px; }
            }
            foreach (Rect r in rects)
            {
                foreach (int py in new[] { r.Bottom, r.Top, r.Top, r.Bottom }) { glyf.I16(py - y); y = py; }
            }
            glyf.Pad(4);
        }
        loca.U32((uint)glyf.Length);

        var head = new BigEndian();
        head.U32(0x00010000); head.U32(0x00010000); // version, fontRevision
        head.U32(0); // checkSumAdjustment, set below
        head.U32(0x5F0F3CF5);
        head.U16(0x000B); // baseline at y=0, lsb at x=0, integer ppem
        head.U16(1000);
        head.U32(0); head.U32(0); head.U32(0); head.U32(0); // created, modified
        head.I16(xMin); head.I16(yMin); head.I16(xMax); head.I16(yMax);
        head.U16(0); head.U16(8); head.I16(2); head.I16(1); head.I16(0); // macStyle, lowestRecPPEM, direction, long loca, glyph format

        var hhea = new BigEndian();
        hhea.U32(0x00010000);
        hhea.I16(Ascent); hhea.I16(-Descent); hhea.I16(0);
        hhea.U16(Advance);
        hhea.I16(xMin); hhea.I16(Advance - xMax); hhea.I16(xMax);
        hhea.I16(1); hhea.I16(0); hhea.I16(0);
        for (int i = 0; i < 4; i++) hhea.I16(0);
        hhea.I16(0);
        hhea.U16(glyphCount);

        var hmtx = new BigEndian();
        for (int g = 0; g < glyphCount; g++) { hmtx.U16(Advance); hmtx.I16(leftBearings[g]); }

        var maxp = new BigEndian();
        maxp.U32(0x00010000);
        maxp.U16(glyphCount); maxp.U16(maxPoints); maxp.U16(maxContours);
        maxp.U16(0); maxp.U16(0); maxp.U16(2);
        for (int i = 0; i < 8; i++) maxp.U16(0);

        var cmap = new BigEndian();
        cmap.U16(0); cmap.U16(1); // version, one subtable
        cmap.U16(3); cmap.U16(1); cmap.U32(12); // Windows, Unicode BMP
        cmap.U16(4); cmap.U16(32); cmap.U16(0); // format 4, length (2 segments), language
        cmap.U16(4); cmap.U16(4); cmap.U16(1); cmap.U16(0); // segCountX2, searchRange, entrySelector, rangeShift
        cmap.U16(Last); cmap.U16(0xFFFF); cmap.U16(0);
        cmap.U16(First); cmap.U16(0xFFFF);
        cmap.I16(1 - First); cmap.I16(1);
        cmap.U16(0); cmap.U16(0);

        var os2 = new BigEndian();
        os2.U16(4); os2.I16(Advance); os2.U16(400); os2.U16(5); os2.U16(0);
        os2.I16(650); os2.I16(700); os2.I16(0); os2.I16(140); // subscript
        os2.I16(650); os2.I16(700); os2.I16(0); os2.I16(480); // superscript
        os2.I16(Pixel); os2.I16(300); // strikeout
        os2.I16(0);
        for (int i = 0; i < 10; i++) os2.U8(0); // panose
        os2.U32(1); os2.U32(0); os2.U32(0); os2.U32(0); // Basic Latin
        foreach (char c in "NONE") os2.U8((byte)c);
        os2.U16(0x40); os2.U16(First); os2.U16(Last);
        os2.I16(Ascent); os2.I16(-Descent); os2.I16(0);
        os2.U16(Ascent); os2.U16(Descent);
        os2.U32(1); os2.U32(0);
        os2.I16(500); os2.I16(700); os2.U16(0); os2.U16(32); os2.U16(1);

        var post = new BigEndian();
        post.U32(0x00030000); post.U32(0); post.I16(-Pixel); post.I16(Pixel / 2); post.U32(1);
        post.U32(0); post.U32(0); post.U32(0); post.U32(0);

        string[] names = ["", FamilyName, "Regular", FamilyName + " 1.0", FamilyName, "Version 1.0", "NetGenPixel-Regular"];
        var name = new BigEndian();
        var strings = new BigEndian();
        int[] ids = [1, 2, 3, 4, 5, 6];
        name.U16(0); name.U16(ids.Length); name.U16(6 + 12 * ids.Length);
        foreach (int id in ids)
        {
            byte[] text = Encoding.BigEndianUnicode.GetBytes(names[id]);
            name.U16(3); name.U16(1); name.U16(0x409); name.U16(id); name.U16(text.Length); name.U16(strings.Length);
            foreach (byte b in text) strings.U8(b);
        }
        name.Append(strings);

        var tables = new SortedDictionary<string, BigEndian>(StringComparer.Ordinal)
        {
            ["OS/2"] = os2, ["cmap"] = cmap, ["glyf"] = glyf, ["head"] = head, ["hhea"] = hhea,
            ["hmtx"] = hmtx, ["loca"] = loca, ["maxp"] = maxp, ["name"] = name, ["post"] = post,
        };
        var font = new BigEndian();
        int count = tables.Count;
        int power = 1, log = 0;
        while (power * 2 <= count) { power *= 2; log++; }
        font.U32(0x00010000); font.U16(count); font.U16(power * 16); font.U16(log); font.U16(count * 16 - power * 16);
        int offset = 12 + 16 * count;
        int headOffset = 0;
        var bodies = new BigEndian();
        foreach ((string tag, BigEndian table) in tables)
        {
            byte[] bytes = table.ToArray();
            foreach (char c in tag) font.U8((byte)c);
            font.U32(Checksum(bytes));
            font.U32((uint)(offset + bodies.Length));
            font.U32((uint)bytes.Length);
            if (tag == "head") headOffset = offset + bodies.Length;
            bodies.Append(table);
            bodies.Pad(4);
        }
        font.Append(bodies);
        byte[] file = font.ToArray();
        uint adjustment = 0xB1B0AFBA - Checksum(file);
        file[headOffset + 8] = (byte)(adjustment >> 24);
        file[headOffset + 9] = (byte)(adjustment >> 16);
        file[headOffset + 10] = (byte)(adjustment >> 8);
        file[headOffset + 11] = (byte)adjustment;
        return file;
    }

    /// <summary>The ink of a glyph as rectangles: runs of a row, merged with identical runs of the rows below.</summary>
    private static List<Rect> Outline(string glyph)
    {
        string[] rows = glyph.Split('|');
        var rects = new List<Rect>();
        var open = new Dictionary<(int Start, int End), int>(); // run -> first row
        for (int r = 0; r <= rows.Length; r++)
        {
            var runs = new HashSet<(int, int)>();
            if (r < rows.Length)
            {
                string row = rows[r];
                for (int c = 0; c < row.Length; c++)
                {
                    if (row[c] != '#') continue;
                    int start = c;
                    while (c + 1 < row.Length && row[c + 1] == '#') c++;
                    runs.Add((start, c + 1));
                }
            }
            foreach (var run in open.Keys.Where(k => !runs.Contains(k)).ToList())
            {
                int firstRow = open[run];
                rects.Add(new Rect(run.Start * Pixel, (6 - (r - 1)) * Pixel, run.End * Pixel, (7 - firstRow) * Pixel));
                open.Remove(run);
            }
            foreach (var run in runs) open.TryAdd(run, r);
        }
        return rects.OrderBy(x => -x.Top).ThenBy(x => x.Left).ToList();
    }

    private static uint Checksum(byte[] bytes)
    {
        uint sum = 0;
        for (int i = 0; i < bytes.Length; i += 4)
        {
            uint word = 0;
            for (int k = 0; k < 4; k++) word = (word << 8) | (i + k < bytes.Length ? bytes[i + k] : 0u);
            sum = unchecked(sum + word);
        }
        return sum;
    }

    /// <summary>A growing big-endian byte buffer.</summary>
    private sealed class BigEndian
    {
        private readonly List<byte> _bytes = [];

        public int Length => _bytes.Count;

        public void U8(byte value) => _bytes.Add(value);

        public void U16(int value)
        {
            _bytes.Add((byte)(value >> 8));
            _bytes.Add((byte)value);
        }

        public void I16(int value) => U16(value & 0xFFFF);

        public void U32(uint value)
        {
            U16((int)(value >> 16));
            U16((int)(value & 0xFFFF));
        }

        public void Pad(int multiple)
        {
            while (_bytes.Count % multiple != 0) _bytes.Add(0);
        }

        public void Append(BigEndian other) => _bytes.AddRange(other._bytes);

        public byte[] ToArray() => _bytes.ToArray();
    }
}
