using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace NetGen.Cli;

/// <summary>
/// The program's PNG charts: training curves and a grid of misclassified test digits.
/// </summary>
/// <remarks>Text is drawn with <see cref="ChartFonts"/>' embedded font, the same on every machine.</remarks>
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
    /// The folder of <paramref name="path"/> is created if needed; the file is written completely or not at all (<see cref="AtomicFile"/>).
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="epochs">The epochs of the run, in order; non-finite losses are left out.</param>
    /// <exception cref="IOException">The file cannot be written (the message names it); a file already there is left as it was.</exception>
    public static void SaveTrainingCurves(string path, IReadOnlyList<EpochMetrics> epochs)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(epochs);
        ChartFonts.Prepare();

        using var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.Legend.FontName = ChartFonts.Family;

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

        byte[] png = plot.GetImageBytes(CurvesWidth, CurvesHeight, ImageFormat.Png);
        CreateFolder(path);
        AtomicFile.Write(path, file => file.Write(png));
    }

    /// <summary>
    /// Writes a PNG grid of the misclassified images of <paramref name="test"/>, the first <paramref name="max"/> in data order,
    /// each enlarged <see cref="Zoom"/> times (white on black, as the network sees it) with a caption "true 7 / pred 2",
    /// under a title with the count; if none is misclassified, a small PNG that says so. Its size follows from the count
    /// (<see cref="MisclassifiedSize"/>). The folder of <paramref name="path"/> is created if needed; the file is written
    /// completely or not at all (<see cref="AtomicFile"/>).
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="test">The test set.</param>
    /// <param name="predictions">The predicted class of every image of <paramref name="test"/>, in order (e.g. <see cref="EvaluationResult.Predictions"/>).</param>
    /// <param name="max">How many misclassified images to show at most, 0 or more.</param>
    /// <exception cref="ArgumentException"><paramref name="predictions"/> does not have one prediction per image.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names it); a file already there is left as it was.</exception>
    public static void SaveMisclassified(string path, ImageDataset test, IReadOnlyList<int> predictions, int max = 100)
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

        using SKTypeface typeface = ChartFonts.CreateTypeface();
        using var titleFont = new SKFont(typeface, 16);
        using var captionFont = new SKFont(typeface, 12);
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
        AtomicFile.Write(path, png.SaveTo);
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
