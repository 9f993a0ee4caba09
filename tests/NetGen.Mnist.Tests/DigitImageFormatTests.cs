using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// Writes image files in the formats SkiaSharp decodes but does not encode (BMP, WBMP) or encodes only through options
/// (lossless WebP), byte by byte from their specifications, and ICO around a PNG.
/// </summary>
internal static class ImageFiles
{
    /// <summary>A 24-bit uncompressed (BI_RGB) BMP: a 14-byte file header, a 40-byte BITMAPINFOHEADER, rows bottom-up in B, G, R order, each padded to 4 bytes.</summary>
    public static byte[] Bmp(int width, int height, ReadOnlySpan<byte> rgba)
    {
        int rowBytes = (3 * width + 3) / 4 * 4;
        int size = 54 + rowBytes * height;
        byte[] bmp = new byte[size];
        Span<byte> b = bmp;
        b[0] = (byte)'B';
        b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b[2..], size);
        BinaryPrimitives.WriteInt32LittleEndian(b[10..], 54); // the pixels' offset
        BinaryPrimitives.WriteInt32LittleEndian(b[14..], 40); // BITMAPINFOHEADER
        BinaryPrimitives.WriteInt32LittleEndian(b[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(b[22..], height); // positive: bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(b[26..], 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(b[28..], 24); // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(b[30..], 0); // BI_RGB
        BinaryPrimitives.WriteInt32LittleEndian(b[34..], rowBytes * height);
        BinaryPrimitives.WriteInt32LittleEndian(b[38..], 2835); // 72 dpi
        BinaryPrimitives.WriteInt32LittleEndian(b[42..], 2835);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * rowBytes;
            for (int x = 0; x < width; x++)
            {
                int at = 4 * (y * width + x);
                b[row + 3 * x] = rgba[at + 2];
                b[row + 3 * x + 1] = rgba[at + 1];
                b[row + 3 * x + 2] = rgba[at];
            }
        }
        return bmp;
    }

    /// <summary>
    /// A WBMP (type 0): two zero bytes, the width and the height as multi-byte integers (7 bits a byte, high bit set on all
    /// but the last), then each row's pixels, 8 a byte from the high bit, 1 white, padded to whole bytes.
    /// </summary>
    public static byte[] Wbmp(int width, int height, Func<int, int, bool> white)
    {
        var bytes = new System.Collections.Generic.List<byte> { 0, 0 };
        MultiByte(bytes, width);
        MultiByte(bytes, height);
        int rowBytes = (width + 7) / 8;
        for (int y = 0; y < height; y++)
        {
            byte[] row = new byte[rowBytes];
            for (int x = 0; x < width; x++)
            {
                if (white(x, y)) row[x / 8] |= (byte)(0x80 >> (x % 8));
            }
            bytes.AddRange(row);
        }
        return bytes.ToArray();
    }

    private static void MultiByte(System.Collections.Generic.List<byte> bytes, int value)
    {
        int shift = 28;
        while (shift > 0 && (value >> shift) == 0) shift -= 7;
        for (; shift > 0; shift -= 7) bytes.Add((byte)(0x80 | ((value >> shift) & 0x7F)));
        bytes.Add((byte)(value & 0x7F));
    }

    /// <summary>An ICO of one image, a PNG (as Windows Vista and later store large icons): a 6-byte header, one 16-byte entry, the PNG.</summary>
    public static byte[] Ico(int width, int height, byte[] png)
    {
        byte[] ico = new byte[22 + png.Length];
        Span<byte> b = ico;
        BinaryPrimitives.WriteInt16LittleEndian(b[2..], 1); // type: icon
        BinaryPrimitives.WriteInt16LittleEndian(b[4..], 1); // one image
        b[6] = (byte)(width >= 256 ? 0 : width);
        b[7] = (byte)(height >= 256 ? 0 : height);
        BinaryPrimitives.WriteInt16LittleEndian(b[10..], 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(b[12..], 32); // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(b[14..], png.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b[18..], 22);
        png.CopyTo(b[22..]);
        return ico;
    }

    /// <summary>An 8-bit RGBA bitmap (unpremultiplied) of <paramref name="rgba"/>.</summary>
    public static SKBitmap Bitmap(int width, int height, ReadOnlySpan<byte> rgba)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        rgba.CopyTo(bitmap.GetPixelSpan());
        return bitmap;
    }

    public static byte[] Png(SKBitmap bitmap)
    {
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] Jpeg(SKBitmap bitmap, int quality)
    {
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an Exif APP1 segment right after its start (SOI) that holds only the orientation
    /// (tag 0x0112, 1 to 8): "Exif\0\0", a big-endian TIFF header and one IFD of one SHORT entry.
    /// </summary>
    public static byte[] JpegWithExifOrientation(byte[] jpeg, int orientation)
    {
        byte[] segment = [0xFF, 0xE1, 0, 2 + 6 + 26, .. "Exif\0\0"u8, .. ExifOrientation(orientation)]; // APP1, its length
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>Exif data of only the orientation (tag 0x0112, 1 to 8): a big-endian TIFF header and one IFD of one SHORT entry, 26 bytes.</summary>
    private static byte[] ExifOrientation(int orientation) =>
    [
        (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF, the IFD at offset 8
        0, 1, // one entry
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, // Orientation, SHORT, one value
        0, 0, 0, 0, // no next IFD
    ];

    /// <summary>
    /// <paramref name="webp"/> (a simple file: RIFF, WEBP, one image chunk) in WebP's extended form with an EXIF chunk of
    /// the orientation: RIFF, WEBP, VP8X (flags: Exif; the canvas's width and height less 1, 24 bits each), the image
    /// chunk, EXIF (the TIFF data).
    /// </summary>
    public static byte[] WebpWithExifOrientation(byte[] webp, int width, int height, int orientation)
    {
        if (!webp.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !webp.AsSpan(8, 4).SequenceEqual("WEBP"u8) || webp.AsSpan(12, 4).SequenceEqual("VP8X"u8))
            throw new ArgumentException("not a simple WebP file", nameof(webp));
        byte[] image = webp[12..];
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0x08, 0, 0, 0, .. UInt24(width - 1), .. UInt24(height - 1)];
        byte[] exif = [.. "EXIF"u8, 26, 0, 0, 0, .. ExifOrientation(orientation)];
        byte[] body = [.. "WEBP"u8, .. vp8x, .. image, .. exif];
        byte[] size = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, body.Length);
        return [.. "RIFF"u8, .. size, .. body];
    }

    private static byte[] UInt24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];

    public static byte[] LosslessWebp(SKBitmap bitmap)
    {
        using SKPixmap pixmap = bitmap.PeekPixels()!;
        using SKData data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
            ?? throw new InvalidOperationException("SkiaSharp did not encode the WebP");
        return data.ToArray();
    }
}

/// <summary>
/// predict reads every format SkiaSharp decodes, told from the content: one MNIST test digit (test image 0, a 7) as PNG,
/// JPEG (quality 100), lossless WebP, BMP, ICO and GIF (a fixture: SkiaSharp does not encode GIF; Fixtures/make_gif.py)
/// classifies as the same digit with the model PyTorch trained (mnist_cnn), the lossless ones with the PNG's probabilities.
/// </summary>
public sealed class DigitImageFormatTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Model => Path.Combine(AppContext.BaseDirectory, "Fixtures", "pytorch", "mnist_cnn.trained.safetensors");

    private static string GifFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "mnist-test-0.gif");

    /// <summary>MNIST test image 0 as RGBA: grey, opaque, white digit on black.</summary>
    private static byte[] DigitRgba()
    {
        ReadOnlySpan<byte> gray = SmallMnist.Test.Image(0);
        byte[] rgba = new byte[4 * gray.Length];
        for (int i = 0; i < gray.Length; i++) (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]) = (gray[i], gray[i], gray[i], 255);
        return rgba;
    }

    /// <summary>The digit in every format, each named as another format (the extension is not what tells it), PNG first.</summary>
    private (string Format, string Path)[] WriteDigit()
    {
        byte[] rgba = DigitRgba();
        using SKBitmap bitmap = ImageFiles.Bitmap(28, 28, rgba);
        byte[] png = ImageFiles.Png(bitmap);
        var files = new (string Format, byte[] Bytes, string Name)[]
        {
            ("PNG", png, "png-named.webp"),
            ("JPEG", ImageFiles.Jpeg(bitmap, 100), "jpeg-named.png"),
            ("WebP", ImageFiles.LosslessWebp(bitmap), "webp-named.bmp"),
            ("BMP", ImageFiles.Bmp(28, 28, rgba), "bmp-named.gif"),
            ("ICO", ImageFiles.Ico(28, 28, png), "ico-named.jpg"),
            ("GIF", File.ReadAllBytes(GifFixture), "gif-named.pgm"),
        };
        return files.Select(f =>
        {
            string path = _temp.File(f.Name);
            File.WriteAllBytes(path, f.Bytes);
            return (f.Format, path);
        }).ToArray();
    }

    [Fact]
    public void The_fixtures_are_what_the_tests_take_them_for()
    {
        Assert.Equal(7, SmallMnist.Test.Label(0));
        // The GIF's first frame is test image 0 pixel for pixel (a grey palette); its second frame is another digit.
        using SKCodec codec = SKCodec.Create(GifFixture);
        Assert.Equal(SKEncodedImageFormat.Gif, codec.EncodedFormat);
        Assert.Equal(2, codec.FrameCount);
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(bitmap.Info, bitmap.GetPixels()));
        Assert.Equal(DigitRgba(), bitmap.GetPixelSpan().ToArray());
        using var second = new SKBitmap(bitmap.Info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(second.Info, second.GetPixels(), new SKCodecOptions(1)));
        Assert.NotEqual(DigitRgba(), second.GetPixelSpan().ToArray());
        // The other files are of the format they are meant to be (and not of the one their name says).
        foreach ((string format, string path) in WriteDigit())
        {
            using SKCodec c = SKCodec.Create(path);
            Assert.Equal(format, c.EncodedFormat switch
            {
                SKEncodedImageFormat.Webp => "WebP",
                var other => other.ToString().ToUpperInvariant(),
            });
        }
    }

    [Fact]
    public void Every_format_gives_the_pngs_digit_and_the_lossless_ones_its_probabilities()
    {
        (string Format, string Path)[] files = WriteDigit();
        using INetwork network = Networks.Create("mnist_cnn");
        Networks.Load(Model, network);
        float[] png = network.Probabilities(DigitImage.Load(files[0].Path));
        int digit = Array.IndexOf(png, png.Max());
        Assert.Equal(7, digit);
        foreach ((string format, string path) in files.Skip(1))
        {
            float[] p = network.Probabilities(DigitImage.Load(path));
            output.WriteLine($"{format}: {string.Join(" ", p.Select(v => v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture)))}");
            Assert.True(Array.IndexOf(p, p.Max()) == digit, $"{format} gives {Array.IndexOf(p, p.Max())}");
            if (format == "JPEG") continue; // lossy
            for (int c = 0; c < 10; c++) Assert.True(Math.Abs(p[c] - png[c]) <= 1e-6, $"{format}: class {c} has {p[c]}, the PNG {png[c]}");
        }
    }

    /// <summary>A grey image, row-major.</summary>
    private sealed record Gray(int Width, int Height, byte[] Pixels)
    {
        public byte this[int x, int y] => Pixels[y * Width + x];

        /// <summary>Turned 90 degrees clockwise: the pixel at (x, y) goes to (Height - 1 - y, x).</summary>
        public Gray Clockwise()
        {
            byte[] turned = new byte[Pixels.Length];
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++) turned[x * Height + (Height - 1 - y)] = this[x, y];
            return new Gray(Height, Width, turned);
        }

        /// <summary>Mirrored left to right.</summary>
        public Gray Mirrored()
        {
            byte[] mirrored = new byte[Pixels.Length];
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++) mirrored[y * Width + (Width - 1 - x)] = this[x, y];
            return new Gray(Width, Height, mirrored);
        }

        public SKBitmap Bitmap()
        {
            byte[] rgba = new byte[4 * Pixels.Length];
            for (int i = 0; i < Pixels.Length; i++) (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]) = (Pixels[i], Pixels[i], Pixels[i], 255);
            return ImageFiles.Bitmap(Width, Height, rgba);
        }
    }

    /// <summary>
    /// How a camera stores an upright picture for each Exif orientation (the pixels that, shown as the orientation says,
    /// are the upright picture): 1 as is, 2 mirrored, 3 upside down, 4 upside down and mirrored, 5 transposed, 6 turned
    /// anticlockwise (shown turned clockwise), 7 transverse, 8 turned clockwise.
    /// </summary>
    private static Gray Stored(Gray upright, int orientation) => orientation switch
    {
        1 => upright,
        2 => upright.Mirrored(),
        3 => upright.Clockwise().Clockwise(),
        4 => upright.Mirrored().Clockwise().Clockwise(),
        5 => upright.Clockwise().Mirrored(),
        6 => upright.Clockwise().Clockwise().Clockwise(),
        7 => upright.Mirrored().Clockwise(),
        8 => upright.Clockwise(),
        _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
    };

    [Fact]
    public void An_image_is_read_upright_by_its_exif_orientation()
    {
        // The 7 at the top of a 28x40 black field (not square: a turn swaps the sides), as PNG, and as lossless WebPs and
        // JPEGs stored in each of the 8 orientations with an Exif orientation saying how to show them.
        byte[] field = new byte[28 * 40];
        SmallMnist.Test.Image(0).CopyTo(field);
        var upright = new Gray(28, 40, field);
        string png = _temp.File("upright.png");
        using (SKBitmap bitmap = upright.Bitmap()) File.WriteAllBytes(png, ImageFiles.Png(bitmap));
        float[] expected = DigitImage.Load(png);
        using INetwork network = Networks.Create("mnist_cnn");
        Networks.Load(Model, network);
        for (int orientation = 1; orientation <= 8; orientation++)
        {
            Gray stored = Stored(upright, orientation);
            string webp = _temp.File($"orientation-{orientation}.webp"), jpeg = _temp.File($"orientation-{orientation}.jpg");
            using (SKBitmap bitmap = stored.Bitmap())
            {
                File.WriteAllBytes(webp, ImageFiles.WebpWithExifOrientation(ImageFiles.LosslessWebp(bitmap), stored.Width, stored.Height, orientation));
                File.WriteAllBytes(jpeg, ImageFiles.JpegWithExifOrientation(ImageFiles.Jpeg(bitmap, 100), orientation));
            }
            foreach (string path in new[] { webp, jpeg })
            {
                using SKCodec codec = SKCodec.Create(path);
                Assert.Equal((SKEncodedOrigin)orientation, codec.EncodedOrigin);
                Assert.Equal((stored.Width, stored.Height), (codec.Info.Width, codec.Info.Height));
            }
            // Lossless: the upright PNG's image exactly.
            Assert.Equal(expected, DigitImage.Load(webp));
            // JPEG: its faint ringing around the strokes widens the digit's box, so only the digit is compared.
            float[] p = network.Probabilities(DigitImage.Load(jpeg));
            output.WriteLine($"orientation {orientation}: the JPEG's P(7) {p[7]:F4}");
            Assert.Equal(7, Array.IndexOf(p, p.Max()));
        }
    }

    [Fact]
    public void Predict_classifies_every_format_told_from_the_content_not_the_name()
    {
        (string Format, string Path)[] files = WriteDigit();
        RunResult run = App.Run(output, ["predict", "--load", Model, "--net", "mnist_cnn", .. files.Select(f => f.Path)]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Error);
        Assert.Equal(files.Length, run.OutLines.Length);
        for (int i = 0; i < files.Length; i++) Assert.StartsWith($"{files[i].Path}: 7 (", run.OutLines[i]);
        // The lossless ones print the PNG's line.
        string pngLine = run.OutLines[0][files[0].Path.Length..];
        for (int i = 2; i < files.Length; i++) Assert.Equal(pngLine, run.OutLines[i][files[i].Path.Length..]);
    }
}
