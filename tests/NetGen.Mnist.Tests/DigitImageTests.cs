using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SkiaSharp;
using Xunit;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

public sealed class DigitImageTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "netgen-digit-" + Guid.NewGuid().ToString("N"));

    public DigitImageTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>A picture as 8-bit RGBA (unpremultiplied), drawn by the tests pixel by pixel.</summary>
    private sealed class Picture
    {
        public Picture(int width, int height, (byte R, byte G, byte B, byte A) background)
        {
            Width = width;
            Height = height;
            Rgba = new byte[width * height * 4];
            Fill(0, 0, height, width, background);
        }

        public int Width { get; }
        public int Height { get; }
        public byte[] Rgba { get; }

        public Picture Fill(int top, int left, int rows, int columns, (byte R, byte G, byte B, byte A) colour)
        {
            for (int y = top; y < top + rows; y++)
            {
                for (int x = left; x < left + columns; x++)
                {
                    int i = 4 * (y * Width + x);
                    (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]) = colour;
                }
            }
            return this;
        }

        /// <summary>The grey level of each pixel (the tests only make grey pictures in this form).</summary>
        public byte[] Gray() => Enumerable.Range(0, Width * Height).Select(i => Rgba[4 * i]).ToArray();
    }

    private static (byte, byte, byte, byte) Grey(byte level) => (level, level, level, 255);

    private static readonly (byte, byte, byte, byte) Black = Grey(0), White = Grey(255);

    private static void WritePgmRaw(string path, int width, int height, IReadOnlyList<int> samples, int maxval, string header = "")
    {
        using var stream = File.Create(path);
        stream.Write(Encoding.ASCII.GetBytes($"P5\n{header}{width} {height}\n{maxval}\n"));
        foreach (int s in samples)
        {
            if (maxval < 256) stream.WriteByte((byte)s);
            else
            {
                stream.WriteByte((byte)(s >> 8));
                stream.WriteByte((byte)s);
            }
        }
    }

    private static void WritePgmPlain(string path, int width, int height, IReadOnlyList<int> samples, int maxval)
    {
        var text = new StringBuilder($"P2\n# made by a test\n{width} {height}\n# maxval next\n{maxval}\n");
        for (int i = 0; i < samples.Count; i++) text.Append(samples[i]).Append((i + 1) % width == 0 ? '\n' : ' ');
        File.WriteAllText(path, text.ToString());
    }

    private static void WritePng(string path, Picture picture)
    {
        var info = new SKImageInfo(picture.Width, picture.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        picture.Rgba.CopyTo(bitmap.GetPixelSpan());
        WriteBitmap(path, bitmap);
    }

    private static void WriteGrayPng(string path, int width, int height, byte[] gray)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        gray.CopyTo(bitmap.GetPixelSpan());
        WriteBitmap(path, bitmap);
    }

    private static void WriteBitmap(string path, SKBitmap bitmap)
    {
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>Rows and columns of the pixels above 0, inclusive.</summary>
    private static (int Top, int Left, int Bottom, int Right) BoundingBox(float[] image)
    {
        int top = 28, left = 28, bottom = -1, right = -1;
        for (int i = 0; i < image.Length; i++)
        {
            if (image[i] <= 0) continue;
            int y = i / 28, x = i % 28;
            (top, left, bottom, right) = (Math.Min(top, y), Math.Min(left, x), Math.Max(bottom, y), Math.Max(right, x));
        }
        return (top, left, bottom, right);
    }

    private static (double Y, double X) CentreOfMass(float[] image)
    {
        double mass = 0, y = 0, x = 0;
        for (int i = 0; i < image.Length; i++)
        {
            mass += image[i];
            y += image[i] * (i / 28);
            x += image[i] * (i % 28);
        }
        return (y / mass, x / mass);
    }

    /// <summary>
    /// A tall rectangle (twice as high as wide) in MNIST's form: 20 rows by 10 columns of white, centred by its centre of
    /// mass (9.5, 4.5) on (14, 14), so rows 5 to 24 and columns 10 to 19; everything else black.
    /// </summary>
    private static void AssertTallRectangle(float[] image)
    {
        Assert.Equal(784, image.Length);
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                float expected = y is >= 5 and <= 24 && x is >= 10 and <= 19 ? 1f : 0f;
                Assert.True(Math.Abs(image[y * 28 + x] - expected) < 1e-4, $"pixel ({y}, {x}) is {image[y * 28 + x]}, expected {expected}");
            }
        }
    }

    public static TheoryData<string> TallRectangleFiles =>
    [
        "p5 black on white", "p5 white on black", "p5 16-bit black on white", "p5 maxval 15 white on black",
        "p2 black on white", "p2 white on black, unscaled", "png grey large", "png colour dark on light",
        "png colour light on dark", "png transparent with black ink", "png transparent with white ink", "png small black on white",
        "bmp colour dark on light", "webp transparent with white ink", "ico small black on white", "wbmp white on black",
    ];

    /// <summary>Writes the file of one case: a rectangle twice as high as wide, in various formats, sizes and colours.</summary>
    private string WriteTallRectangle(string name)
    {
        string format = name[..name.IndexOf(' ', StringComparison.Ordinal)];
        string path = PathOf(name.Replace(' ', '_').Replace(",", "") + "." + (format is "p2" or "p5" ? "pgm" : format));
        switch (name)
        {
            case "p5 black on white":
            {
                Picture p = new Picture(80, 100, White).Fill(30, 20, 40, 20, Black);
                WritePgmRaw(path, p.Width, p.Height, p.Gray().Select(b => (int)b).ToArray(), 255);
                break;
            }
            case "p5 white on black":
            {
                Picture p = new Picture(80, 100, Black).Fill(10, 50, 60, 30, White);
                WritePgmRaw(path, p.Width, p.Height, p.Gray().Select(b => (int)b).ToArray(), 255, "# a comment\n");
                break;
            }
            case "p5 16-bit black on white":
            {
                Picture p = new Picture(64, 64, White).Fill(16, 24, 32, 16, Black);
                WritePgmRaw(path, p.Width, p.Height, p.Gray().Select(b => b * 257).ToArray(), 65535);
                break;
            }
            case "p5 maxval 15 white on black":
            {
                Picture p = new Picture(40, 50, Black).Fill(5, 5, 36, 18, White);
                WritePgmRaw(path, p.Width, p.Height, p.Gray().Select(b => b / 17).ToArray(), 15);
                break;
            }
            case "p2 black on white":
            {
                Picture p = new Picture(30, 30, White).Fill(2, 10, 26, 13, Black);
                WritePgmPlain(path, p.Width, p.Height, p.Gray().Select(b => b == 0 ? 0 : 1000).ToArray(), 1000);
                break;
            }
            case "p2 white on black, unscaled":
            {
                Picture p = new Picture(28, 28, Black).Fill(0, 0, 20, 10, White);
                WritePgmPlain(path, p.Width, p.Height, p.Gray().Select(b => (int)b).ToArray(), 255);
                break;
            }
            case "png grey large":
            {
                Picture p = new Picture(1200, 900, Black).Fill(100, 700, 600, 300, White);
                WriteGrayPng(path, p.Width, p.Height, p.Gray());
                break;
            }
            case "png colour dark on light":
                WritePng(path, new Picture(150, 200, (255, 230, 0, 255)).Fill(20, 40, 150, 75, (20, 20, 120, 255)));
                break;
            case "png colour light on dark":
                WritePng(path, new Picture(150, 200, (90, 0, 10, 255)).Fill(20, 40, 150, 75, (160, 255, 255, 255)));
                break;
            case "png transparent with black ink":
                WritePng(path, new Picture(60, 60, (0, 0, 0, 0)).Fill(10, 10, 40, 20, Black));
                break;
            case "png transparent with white ink":
                WritePng(path, new Picture(60, 60, (255, 255, 255, 0)).Fill(10, 10, 40, 20, White));
                break;
            case "png small black on white":
                WritePng(path, new Picture(10, 12, White).Fill(2, 3, 8, 4, Black));
                break;
            case "bmp colour dark on light":
            {
                Picture p = new Picture(151, 201, (255, 230, 0, 255)).Fill(20, 40, 150, 75, (20, 20, 120, 255)); // odd width: padded rows
                File.WriteAllBytes(path, ImageFiles.Bmp(p.Width, p.Height, p.Rgba));
                break;
            }
            case "webp transparent with white ink":
            {
                Picture p = new Picture(60, 60, (255, 255, 255, 0)).Fill(10, 10, 40, 20, White);
                using SKBitmap bitmap = ImageFiles.Bitmap(p.Width, p.Height, p.Rgba);
                File.WriteAllBytes(path, ImageFiles.LosslessWebp(bitmap));
                break;
            }
            case "ico small black on white":
            {
                Picture p = new Picture(10, 12, White).Fill(2, 3, 8, 4, Black);
                using SKBitmap bitmap = ImageFiles.Bitmap(p.Width, p.Height, p.Rgba);
                File.WriteAllBytes(path, ImageFiles.Ico(p.Width, p.Height, ImageFiles.Png(bitmap)));
                break;
            }
            case "wbmp white on black":
                File.WriteAllBytes(path, ImageFiles.Wbmp(130, 70, (x, y) => y is >= 5 and < 65 && x is >= 100 and < 130));
                break;
            default:
                throw new ArgumentException(name);
        }
        return path;
    }

    [Theory]
    [MemberData(nameof(TallRectangleFiles))]
    public void A_rectangle_in_any_format_size_and_colour_becomes_a_centred_20_by_10_white_rectangle(string name)
    {
        AssertTallRectangle(DigitImage.Load(WriteTallRectangle(name)));
    }

    [Fact]
    public void Paper_noise_is_removed_with_the_background()
    {
        // Grey paper at 200 +- 12 with ink at 40 +- 12: the noise stays below the black point (background + 3 MAD).
        var random = new Random(7);
        var p = new Picture(90, 120, White);
        for (int y = 0; y < p.Height; y++)
        {
            for (int x = 0; x < p.Width; x++)
            {
                bool ink = y is >= 30 and < 90 && x is >= 30 and < 60;
                p.Fill(y, x, 1, 1, Grey((byte)((ink ? 40 : 200) + random.Next(-12, 13))));
            }
        }
        string path = PathOf("noisy.png");
        WritePng(path, p);
        float[] image = DigitImage.Load(path);
        Assert.Equal((5, 10, 24, 19), BoundingBox(image));
        for (int y = 5; y <= 24; y++)
        {
            for (int x = 10; x <= 19; x++) Assert.InRange(image[y * 28 + x], 0.8f, 1f);
        }
    }

    [Fact]
    public void A_wide_rectangle_fits_the_20_pixel_box_by_its_width()
    {
        string path = PathOf("wide.png");
        WritePng(path, new Picture(100, 100, White).Fill(40, 20, 15, 30, Black));
        float[] image = DigitImage.Load(path);
        Assert.Equal((10, 5, 19, 24), BoundingBox(image));
        Assert.All(image, v => Assert.InRange(v, 0f, 1f));
    }

    /// <summary>An anti-aliased thick "1" with a flag and a foot, black on white, 300x300.</summary>
    private static SKBitmap DrawOne()
    {
        var bitmap = new SKBitmap(new SKImageInfo(300, 300, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var pen = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = 28, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        canvas.DrawLine(165, 50, 150, 240, pen);
        canvas.DrawLine(165, 50, 115, 95, pen);
        canvas.DrawLine(110, 245, 195, 245, pen);
        return bitmap;
    }

    [Fact]
    public void A_drawn_one_is_scaled_to_20_pixels_high_and_centred_by_its_centre_of_mass_and_png_and_pgm_agree()
    {
        using SKBitmap one = DrawOne();
        string png = PathOf("one.png"), pgm = PathOf("one.pgm");
        WriteBitmap(png, one);
        byte[] gray = new byte[300 * 300];
        for (int y = 0; y < 300; y++)
        {
            for (int x = 0; x < 300; x++) gray[y * 300 + x] = one.GetPixel(x, y).Red;
        }
        WritePgmRaw(pgm, 300, 300, gray.Select(b => (int)b).ToArray(), 255);

        float[] image = DigitImage.Load(png);
        (int top, int left, int bottom, int right) = BoundingBox(image);
        Assert.Equal(20, bottom - top + 1);
        Assert.InRange(right - left + 1, 8, 16);
        (double cy, double cx) = CentreOfMass(image);
        Assert.InRange(cy, 13.5, 14.5);
        Assert.InRange(cx, 13.5, 14.5);
        Assert.Equal(1f, image.Max());
        Assert.Equal(0f, image[0]);
        Assert.Equal(0f, image[783]);
        // Anti-aliased edges: grey levels, as in MNIST.
        Assert.Contains(image, v => v is > 0.1f and < 0.9f);

        Assert.Equal(image, DigitImage.Load(pgm));
    }

    [Fact]
    public void A_real_mnist_digit_written_as_pgm_loads_back_nearly_unchanged()
    {
        string? folder = MnistData.FindDirectory();
        Assert.NotNull(folder);
        ImageDataset test = MnistData.LoadTest(folder);
        float[] expected = new float[784];
        for (int index = 0; index < 100; index++)
        {
            string path = PathOf($"mnist-{index}.pgm");
            WritePgmRaw(path, 28, 28, test.Image(index).ToArray().Select(b => (int)b).ToArray(), 255);
            float[] actual = DigitImage.Load(path);
            test.CopyScaled(index, expected);
            double worst = 0;
            for (int i = 0; i < 784; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            // The white point moves 254 to 1 for some digits; nothing else changes.
            Assert.True(worst <= 0.005, $"test image {index}: a pixel differs by {worst}");
        }
    }

    [Fact]
    public void A_missing_file_is_a_data_format_error_naming_it()
    {
        string path = PathOf("nothing.png");
        var e = Assert.Throws<DataFormatException>(() => DigitImage.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("not found", e.Message);

        e = Assert.Throws<DataFormatException>(() => DigitImage.Load(PathOf("no-folder/x.pgm")));
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void A_folder_is_a_data_format_error()
    {
        var e = Assert.Throws<DataFormatException>(() => DigitImage.Load(_folder));
        Assert.Equal(_folder, e.FilePath);
    }

    public static TheoryData<string, byte[], string> BadFiles()
    {
        byte[] png = TinyPng();
        byte[] corrupt = (byte[])png.Clone();
        int idat = IndexOf(corrupt, "IDAT"u8.ToArray());
        for (int i = idat + 6; i < idat + 20; i++) corrupt[i] ^= 0x5A;
        byte[] bmp = ImageFiles.Bmp(40, 40, new Picture(40, 40, White).Fill(5, 10, 30, 20, Black).Rgba);
        // The BMP's header made to say 10000x10000 pixels (300 MB in the file, 400 MB decoded); the file is cut after 200 bytes.
        byte[] bmp10k = (byte[])bmp.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bmp10k.AsSpan(18), 10_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bmp10k.AsSpan(22), 10_000);
        using SKBitmap picture = ImageFiles.Bitmap(40, 40, new Picture(40, 40, White).Fill(5, 10, 30, 20, Black).Rgba);
        byte[] jpeg = ImageFiles.Jpeg(picture, 90), webp = ImageFiles.LosslessWebp(picture);
        return new TheoryData<string, byte[], string>
        {
            { "empty", [], "empty file" },
            { "text", Encoding.ASCII.GetBytes("hello, world\n"), "not an image format this program reads (it starts with bytes 68 65 6c 6c 6f 2c 20 77); it reads PNG, JPEG, WebP, GIF, BMP, ICO, WBMP or PGM" },
            { "idx images", Idx.Images(3, 28, 28), "(it is an IDX data file, as MNIST's); it reads PNG, JPEG" },
            { "idx labels", Idx.Labels(10), "(it is an IDX data file, as MNIST's); it reads PNG, JPEG" },
            { "tiff", [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0], "(it is a TIFF); it reads PNG, JPEG" },
            { "jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F'], "JPEG" },
            { "jpeg data cut", jpeg[..(jpeg.Length * 3 / 4)], "truncated JPEG" },
            { "gif header cut", "GIF89a\u0028\0"u8.ToArray(), "GIF" },
            { "webp data cut", webp[..(webp.Length / 2)], "WebP" },
            { "bmp data cut", bmp[..(bmp.Length / 2)], "truncated BMP" },
            { "bmp too large", bmp10k[..200], "the image is too large (10000x10000); at most 50 megapixels are read" },
            { "ppm", Encoding.ASCII.GetBytes("P6\n2 2\n255\n012345678901"), "PPM" },
            { "png signature only", png[..8], "PNG" },
            { "png header cut", png[..30], "PNG" },
            { "png data cut", png[..(png.Length / 2)], "PNG" },
            { "png data corrupt", corrupt, "corrupt PNG" },
            { "pgm header only", Encoding.ASCII.GetBytes("P5\n"), "truncated" },
            { "pgm no maxval", Encoding.ASCII.GetBytes("P5 4 4"), "truncated" },
            { "pgm letters", Encoding.ASCII.GetBytes("P5 four 4 255\n0123456789abcdef"), "not a number" },
            { "pgm zero width", Encoding.ASCII.GetBytes("P5 0 4 255\n"), "empty image" },
            { "pgm maxval 0", Encoding.ASCII.GetBytes("P5 2 2 0\n\0\0\0\0"), "maxval" },
            { "pgm maxval too big", Encoding.ASCII.GetBytes("P5 2 2 65536\n\0\0\0\0\0\0\0\0"), "maxval" },
            { "p5 truncated", Encoding.ASCII.GetBytes("P5 4 4 255\n0123456"), "truncated" },
            { "p5 16-bit truncated", Encoding.ASCII.GetBytes("P5 2 2 1000\n\0\0\0\0\0\0\0"), "truncated" },
            { "p5 sample above maxval", Encoding.ASCII.GetBytes("P5 2 2 10\n\u0001\u0002\u0003\u000b"), "above maxval" },
            { "p2 truncated", Encoding.ASCII.GetBytes("P2 3 3 255\n0 0 0\n0 255 0\n0 0"), "truncated" },
            { "p2 sample above maxval", Encoding.ASCII.GetBytes("P2 2 2 15\n0 16 0 0\n"), "above maxval" },
            { "p2 junk sample", Encoding.ASCII.GetBytes("P2 2 2 15\n0 x 0 0\n"), "not a number" },
            { "too large", Encoding.ASCII.GetBytes("P5 100000 100000 255\n"), "too large" },
            { "all white", Encoding.ASCII.GetBytes("P2 3 2 255\n255 255 255 255 255 255\n"), "all one colour" },
            { "all black", Encoding.ASCII.GetBytes("P5 2 2 255\n\0\0\0\0"), "all one colour" },
        };
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_are_data_format_errors_on_one_line_naming_the_file(string name, byte[] content, string expected)
    {
        string path = PathOf(name.Replace(' ', '-'));
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<DataFormatException>(() => DigitImage.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A valid 40x40 grey PNG of a black square on white, compressed little so that it has a sizeable IDAT.</summary>
    private static byte[] TinyPng()
    {
        var random = new Random(3);
        using var bitmap = new SKBitmap(new SKImageInfo(40, 40, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 40 is > 10 and < 30 && i / 40 is > 5 and < 35 ? random.Next(0, 30) : random.Next(220, 256));
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    [Fact]
    public void The_test_pngs_are_valid()
    {
        // The corrupt-file cases start from this PNG; it must load when intact.
        string path = PathOf("tiny.png");
        File.WriteAllBytes(path, TinyPng());
        float[] image = DigitImage.Load(path);
        Assert.Equal(784, image.Length);
        Assert.True(image.Max() > 0.9f);
    }
}
