using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SkiaSharp;
using Xunit;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

public sealed class ChartsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "netgen-charts-" + Guid.NewGuid().ToString("N"));

    public ChartsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static SKBitmap Decode(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG");
        SKBitmap? bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    /// <summary>Pixels darker than mid-grey in the band of rows [top, bottom) — text, where there is no plot.</summary>
    private static int DarkPixels(SKBitmap bitmap, int top, int bottom)
    {
        int count = 0;
        for (int y = top; y < bottom; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 128) count++;
            }
        }
        return count;
    }

    private static List<EpochMetrics> Epochs(int count) =>
        Enumerable.Range(1, count).Select(e => new EpochMetrics(e, 0.6 / e, 1.5, 96 + 3 * (1 - 1.0 / e))).ToList();

    [Fact]
    public void Training_curves_are_an_800_by_500_png_with_a_title()
    {
        string path = PathOf("curves.png");
        Charts.SaveTrainingCurves(path, Epochs(12));
        using SKBitmap bitmap = Decode(path);
        Assert.Equal((Charts.CurvesWidth, Charts.CurvesHeight), (bitmap.Width, bitmap.Height));
        Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
        // The title is drawn above the plot: without a usable font that band would be blank.
        Assert.InRange(DarkPixels(bitmap, 0, 30), 150, 800 * 30 / 2);
        // Two series in two colours: the loss (blue) and the accuracy (red).
        var colours = new HashSet<SKColor>();
        for (int y = 40; y < 440; y += 2)
        {
            for (int x = 100; x < 700; x += 2) colours.Add(bitmap.GetPixel(x, y));
        }
        Assert.Contains(colours, c => c.Blue > 150 && c.Red < 80);
        Assert.Contains(colours, c => c.Red > 180 && c.Green < 80 && c.Blue < 80);
    }

    [Fact]
    public void Training_curves_cope_with_one_epoch_no_epochs_missing_accuracies_and_a_bad_loss_and_make_the_folder()
    {
        var cases = new Dictionary<string, IReadOnlyList<EpochMetrics>>
        {
            ["one.png"] = Epochs(1),
            ["none.png"] = [],
            ["gaps.png"] = [new(1, 0.5, 1, null), new(2, 0.3, 1, 97.5), new(3, double.NaN, 1, null), new(4, 0.2, 1, double.NaN)],
            ["no-accuracy.png"] = [new(1, 0.5, 1, null), new(2, 0.3, 1, null)],
            [Path.Combine("new", "folder", "curves.png")] = Epochs(2),
        };
        foreach ((string name, IReadOnlyList<EpochMetrics> epochs) in cases)
        {
            Charts.SaveTrainingCurves(PathOf(name), epochs);
            using SKBitmap bitmap = Decode(PathOf(name));
            Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
        }
    }

    /// <summary>Images whose row (index mod 28) is white and the rest black; labels index mod 10.</summary>
    private static ImageDataset Dataset(int count)
    {
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels.AsSpan(i * 784 + i % 28 * 28, 28).Fill(255);
            labels[i] = (byte)(i % 10);
        }
        return new ImageDataset(pixels, labels, 28, 28);
    }

    /// <summary>Right predictions except at <paramref name="wrong"/>, where the prediction is the label + 1.</summary>
    private static int[] Predictions(ImageDataset data, IEnumerable<int> wrong)
    {
        int[] predictions = Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
        foreach (int i in wrong) predictions[i] = (predictions[i] + 1) % 10;
        return predictions;
    }

    [Theory]
    [InlineData(0, 480, 120)]
    [InlineData(1, 480, 166)]
    [InlineData(3, 480, 166)]
    [InlineData(10, 1056, 166)]
    [InlineData(11, 1056, 276)]
    [InlineData(25, 1056, 386)]
    [InlineData(100, 1056, 1156)]
    public void The_grid_size_follows_the_count(int shown, int width, int height)
    {
        Assert.Equal((width, height), Charts.MisclassifiedSize(shown));
    }

    [Fact]
    public void The_misclassified_grid_shows_the_wrong_digits_in_data_order_with_a_title()
    {
        ImageDataset data = Dataset(60);
        int[] wrong = [3, 4, 17, 30, 31, 32, 40, 41, 42, 43, 44, 50, 59];
        string path = PathOf("wrong.png");
        Charts.SaveMisclassified(path, data, Predictions(data, wrong));
        using SKBitmap bitmap = Decode(path);
        (int width, int height) = Charts.MisclassifiedSize(wrong.Length);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        Assert.Equal((1056, 276), (bitmap.Width, bitmap.Height));
        Assert.True(DarkPixels(bitmap, Charts.Margin, Charts.Margin + 25) > 100, "no title");

        // Tile n: 84x84 at (Margin + 6 + 104 * (n % 10), 52 + 110 * (n / 10)); its white row is index mod 28.
        for (int n = 0; n < wrong.Length; n++)
        {
            int x = Charts.Margin + 6 + 104 * (n % 10), y = Charts.Margin + Charts.TitleHeight + 110 * (n / 10);
            int row = wrong[n] % 28;
            Assert.Equal(SKColors.White, bitmap.GetPixel(x + 40, y + 3 * row + 1));
            Assert.Equal(SKColors.Black, bitmap.GetPixel(x + 40, y + 3 * ((row + 14) % 28) + 1));
            Assert.Equal(SKColors.Black, bitmap.GetPixel(x + 1, y + 3 * ((row + 1) % 28) + 1));
            // A red caption under the image.
            int red = 0;
            for (int cy = y + 84; cy < y + 84 + Charts.CaptionHeight; cy++)
            {
                for (int cx = x - 6; cx < x + 90; cx++)
                {
                    SKColor c = bitmap.GetPixel(cx, cy);
                    if (c.Red > 120 && c.Green < 120) red++;
                }
            }
            Assert.True(red > 30, $"tile {n} has no caption");
        }
    }

    [Fact]
    public void The_grid_shows_at_most_max_digits()
    {
        ImageDataset data = Dataset(60);
        string path = PathOf("capped.png");
        Charts.SaveMisclassified(path, data, Predictions(data, Enumerable.Range(0, 60)), max: 7);
        using SKBitmap bitmap = Decode(path);
        Assert.Equal(Charts.MisclassifiedSize(7), (bitmap.Width, bitmap.Height));

        Charts.SaveMisclassified(path, data, Predictions(data, Enumerable.Range(0, 60)));
        using SKBitmap all = Decode(path);
        Assert.Equal(Charts.MisclassifiedSize(60), (all.Width, all.Height));
    }

    [Fact]
    public void With_nothing_wrong_the_png_says_so()
    {
        ImageDataset data = Dataset(20);
        string path = PathOf(Path.Combine("sub", "none.png"));
        Charts.SaveMisclassified(path, data, Predictions(data, []));
        using SKBitmap bitmap = Decode(path);
        Assert.Equal((480, 120), (bitmap.Width, bitmap.Height));
        Assert.True(DarkPixels(bitmap, 40, 80) > 100, "no text");
    }

    [Fact]
    public void Predictions_must_match_the_images()
    {
        ImageDataset data = Dataset(20);
        Assert.Throws<ArgumentException>(() => Charts.SaveMisclassified(PathOf("x.png"), data, new int[19]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Charts.SaveMisclassified(PathOf("x.png"), data, new int[20], -1));
        Assert.False(File.Exists(PathOf("x.png")));
    }

    [Fact]
    public void The_embedded_font_is_dejavu_sans_with_every_character_the_charts_write()
    {
        using SKTypeface typeface = ChartFonts.CreateTypeface();
        Assert.Equal("DejaVu Sans", typeface.FamilyName);
        string ascii = new(Enumerable.Range(32, 95).Select(c => (char)c).ToArray());
        Assert.True(typeface.ContainsGlyphs(ascii + "\u00b0\u00b5\u00d7\u00e9\u2013\u2026\u2212"));
        Assert.False(typeface.ContainsGlyphs("\u0416"), "a Cyrillic letter: the font was cut down to Latin-1");

        // Proportional, as DejaVu Sans is: "W" is wider than "i".
        using var font = new SKFont(typeface, 20);
        Assert.True(font.MeasureText("W") > 2 * font.MeasureText("i"));

        // It draws: "8" at 20 pixels leaves ink in the middle of its box and none outside it.
        using var bitmap = new SKBitmap(new SKImageInfo(30, 30, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText("8", 5, 25, font, paint);
        }
        int ink = 0;
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < 30; x++)
            {
                if (bitmap.GetPixel(x, y).Red >= 128) continue;
                ink++;
                Assert.InRange(x, 5, 20);
                Assert.InRange(y, 5, 26);
            }
        }
        Assert.InRange(ink, 30, 200);
    }

    [Fact]
    public void The_fonts_licence_is_beside_the_program()
    {
        string licence = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DejaVuSans-LICENSE.txt"));
        Assert.Contains("Bitstream Vera Fonts Copyright", licence);
        Assert.Contains("DejaVu changes are in public domain", licence);
    }
}
