using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using SkiaSharp;

namespace NetGen.Cli;

/// <summary>
/// Turns an image file of one handwritten digit into MNIST's form, so that a network trained on MNIST can classify it.
/// </summary>
/// <remarks>
/// MNIST's digits were made from black and white scans by scaling each digit's bounding box to fit 20x20 pixels
/// (keeping its aspect ratio, anti-aliased), then placing it in a 28x28 field so that its centre of mass falls on
/// pixel (14, 14) (0-based row and column; the test set's digits all have their centre of mass within half a pixel
/// of it). <see cref="Load"/> does the same to any picture: it reads it as grey levels, makes the digit white on
/// black, removes the background level, and scales and centres the digit as MNIST did.
/// </remarks>
internal static class DigitImage
{
    /// <summary>The side of the square the digit's bounding box is scaled to fit (MNIST: 20).</summary>
    internal const int BoxSize = 20;

    /// <summary>The side of the output image (MNIST: 28).</summary>
    internal const int Size = 28;

    /// <summary>The 0-based row and column the digit's centre of mass is placed on (MNIST: 14).</summary>
    internal const double Centre = 14.0;

    /// <summary>Images with more pixels than this are refused rather than decoded (a 50 megapixel photo still fits).</summary>
    internal const long MaxPixels = 50_000_000;

    /// <summary>Image files longer than this (50 MB) are refused before they are read: a photo of one digit takes a few MB at most.</summary>
    internal const long MaxFileBytes = 50_000_000;

    /// <summary>The formats read, for messages and help: SkiaSharp's decoders (<see cref="SKCodec"/>), and PGM read here.</summary>
    internal const string Formats = "PNG, JPEG, WebP, GIF, BMP, ICO, WBMP or PGM";

    /// <summary>
    /// Reads an image of any format <see cref="SKCodec"/> decodes (PNG, JPEG, WebP, GIF (its first frame), BMP, ICO, WBMP)
    /// or a PGM (P2 plain or P5 raw, maxval 1 to 65535), told apart by their content, not by the file's name, and turned
    /// upright by its Exif orientation (JPEG, WebP; <see cref="Orient"/>); of any size, grey or colour (taken as
    /// luminance, transparent pixels blended with a background that contrasts with the ink), and returns it in MNIST's
    /// form: 784 floats (28 rows of 28, row-major) in [0, 1], a white digit on black, its bounding box scaled to fit 20x20
    /// keeping the aspect ratio, centred by its centre of mass. A light background (decided from the median of the border
    /// pixels) is inverted first.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <returns>A new array of 784 floats.</returns>
    /// <exception cref="DataFormatException">
    /// The file is missing or unreadable, not a regular file (a folder, a named pipe, a device), longer than
    /// <see cref="MaxFileBytes"/>, of none of the formats read, larger than <see cref="MaxPixels"/>, corrupt or truncated,
    /// empty, or shows no digit (all one colour). The message is one line that names the file.
    /// </exception>
    public static float[] Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ReadFile(path);
        GrayImage image = Decode(path, bytes);
        return Normalize(path, image);
    }

    /// <summary>Grey levels in [0, 1], row-major, 0 black.</summary>
    internal readonly record struct GrayImage(int Width, int Height, float[] Pixels);

    /// <summary>
    /// The bytes of the file, checked before it is opened (a regular file: a named pipe would wait for a writer, a device
    /// could give endless bytes) and before it is read (at most <see cref="MaxFileBytes"/>).
    /// </summary>
    private static byte[] ReadFile(string path)
    {
        FileKind kind = FileFacts.KindOf(path);
        if (kind == FileKind.Directory) throw new DataFormatException(path, "is a folder, not an image file");
        if (kind is not (FileKind.Regular or FileKind.Missing))
            throw new DataFormatException(path, $"is {FileFacts.Describe(kind)}, not a regular file");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long length = file.Length;
            if (length > MaxFileBytes)
            {
                throw new DataFormatException(path,
                    $"too large for an image of one digit: {length} bytes, more than the limit of {MaxFileBytes} (50 MB)");
            }
            byte[] bytes = new byte[length];
            file.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException e)
        {
            throw new DataFormatException(path, "file not found", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DataFormatException(path, "file not found (no such folder)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataFormatException(path, "cannot read the file: access denied", e);
        }
        catch (EndOfStreamException e)
        {
            throw new DataFormatException(path, "cannot read the file: it became shorter while it was read", e);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Decodes <paramref name="bytes"/> to grey levels: a PGM here, any other image with <see cref="SKCodec"/>, which tells
    /// the format from the content.
    /// </summary>
    internal static GrayImage Decode(string path, byte[] bytes)
    {
        if (bytes.Length == 0) throw new DataFormatException(path, $"empty file: expected an image ({Formats})");
        if (bytes.Length >= 2 && bytes[0] == (byte)'P' && bytes[1] is >= (byte)'1' and <= (byte)'7')
        {
            if (bytes[1] is (byte)'2' or (byte)'5') return DecodePgm(path, bytes);
            string kind = bytes[1] switch
            {
                (byte)'1' or (byte)'4' => "a PBM (bitmap)",
                (byte)'3' or (byte)'6' => "a PPM (colour)",
                _ => "a PAM",
            };
            throw new DataFormatException(path, $"{kind} Netpbm image (P{(char)bytes[1]}), which this program does not read; it reads {Formats} (P2, P5)");
        }
        if (IsIdx(bytes)) throw new DataFormatException(path, $"not an image format this program reads (it is an IDX data file, as MNIST's); it reads {Formats}");
        return DecodeWithCodec(path, bytes);
    }

    /// <summary>
    /// Whether the file is an IDX file (MNIST's data): two zero bytes, the type of the values (0x08 unsigned byte, 0x09
    /// signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double), the number of dimensions, their sizes (big-endian,
    /// 32 bits), then exactly as many values as they make. Its start is also a valid WBMP header (MNIST's test images,
    /// 00 00 08 03, an 8x3 WBMP), so it is recognised before <see cref="SKCodec"/>, which would decode it as one.
    /// </summary>
    private static bool IsIdx(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0 || b[1] != 0) return false;
        int valueBytes = b[2] switch { 0x08 or 0x09 => 1, 0x0B => 2, 0x0C or 0x0D => 4, 0x0E => 8, _ => 0 };
        int dimensions = b[3];
        if (valueBytes == 0 || dimensions == 0 || b.Length < 4 + 4 * dimensions) return false;
        long count = valueBytes;
        for (int i = 0; i < dimensions; i++)
        {
            count *= System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b.Slice(4 + 4 * i)); // at most 2^26 * 2^32: no overflow
            if (count > b.Length) return false;
        }
        return 4 + 4L * dimensions + count == b.Length;
    }

    /// <summary>The name of a format in messages.</summary>
    private static string Name(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => "PNG",
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Webp => "WebP",
        SKEncodedImageFormat.Gif => "GIF",
        SKEncodedImageFormat.Bmp => "BMP",
        SKEncodedImageFormat.Ico => "ICO",
        SKEncodedImageFormat.Wbmp => "WBMP",
        _ => format.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// The format the file's first bytes show, when it is one of those <see cref="SKCodec"/> reads with a signature of its
    /// own (WBMP has none), so that a file the codec cannot open is called a corrupt JPEG rather than an unknown file.
    /// </summary>
    private static string? Signature(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "PNG";
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "JPEG";
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return "GIF";
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8)) return "WebP";
        if (b.StartsWith("BM"u8)) return "BMP";
        if (b.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0]) || b.StartsWith((ReadOnlySpan<byte>)[0, 0, 2, 0])) return "ICO";
        return null;
    }

    /// <summary>A few words on what the start of a file of no format read looks like, for the error message.</summary>
    private static string Describe(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B])) return "it is gzip-compressed";
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "the PNG signature is damaged";
        if (b.StartsWith("II*\0"u8) || b.StartsWith("MM\0*"u8)) return "it is a TIFF";
        if (b.StartsWith("%PDF"u8)) return "it is a PDF";
        if (b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = b.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8)) return "it is an AVIF";
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8)) return "it is a HEIF/HEIC";
        }
        var hex = new StringBuilder();
        for (int i = 0; i < Math.Min(8, b.Length); i++) hex.Append(i == 0 ? "" : " ").Append(b[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return $"it starts with bytes {hex}";
    }

    /// <summary>
    /// Decodes an image with <see cref="SKCodec"/> (the first frame of an animation) as 8-bit RGBA, checking its size
    /// (<see cref="CheckSize"/>) from the header before the pixels are allocated.
    /// </summary>
    private static GrayImage DecodeWithCodec(string path, byte[] bytes)
    {
        SKCodec? codec;
        SKCodecResult opened;
        // The codec takes the stream over (or frees it when it returns null); disposing the wrapper here then does nothing.
        using (var stream = new SKMemoryStream(bytes)) codec = SKCodec.Create(stream, out opened);
        using (codec)
        {
            if (codec is null)
            {
                if (Signature(bytes) is { } signed)
                {
                    throw new DataFormatException(path, opened == SKCodecResult.IncompleteInput
                        ? $"truncated {signed}: the file ends inside the header"
                        : $"corrupt or truncated {signed}: the header cannot be read");
                }
                throw new DataFormatException(path, $"not an image format this program reads ({Describe(bytes)}); it reads {Formats}");
            }
            string format = Name(codec.EncodedFormat);
            int width = codec.Info.Width, height = codec.Info.Height;
            CheckSize(path, width, height);
            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var bitmap = new SKBitmap();
            if (!bitmap.TryAllocPixels(info)) throw new DataFormatException(path, $"the image is too large to decode ({width}x{height})");
            SKCodecResult result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                string problem = result switch
                {
                    SKCodecResult.IncompleteInput => $"truncated {format}: the image data ends early",
                    SKCodecResult.ErrorInInput => $"corrupt {format}: the image data cannot be decoded",
                    _ => $"the {format} cannot be decoded ({result})",
                };
                throw new DataFormatException(path, problem);
            }
            return Orient(FromRgba(width, height, bitmap.GetPixelSpan(), bitmap.RowBytes), codec.EncodedOrigin);
        }
    }

    /// <summary>
    /// The image as it is meant to be shown, by its Exif orientation (<paramref name="origin"/>, where the stored first
    /// row and column go; a phone's photo is often stored sideways with orientation 6 or 8): the stored pixels rotated
    /// and/or mirrored.
    /// </summary>
    internal static GrayImage Orient(GrayImage stored, SKEncodedOrigin origin)
    {
        if (origin is not (SKEncodedOrigin.TopRight or SKEncodedOrigin.BottomRight or SKEncodedOrigin.BottomLeft
            or SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom))
        {
            return stored; // TopLeft: as stored
        }
        int w = stored.Width, h = stored.Height;
        bool swapped = origin >= SKEncodedOrigin.LeftTop;
        int width = swapped ? h : w, height = swapped ? w : h;
        float[] pixels = new float[stored.Pixels.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // The stored pixel shown at (x, y).
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x), // LeftBottom
                };
                pixels[y * width + x] = stored.Pixels[sy * w + sx];
            }
        }
        return new GrayImage(width, height, pixels);
    }

    /// <summary>
    /// Grey levels of 8-bit RGBA pixels: luminance 0.299 R + 0.587 G + 0.114 B (as PIL's "L"), exact for grey pixels.
    /// Transparent pixels are blended with white if the ink (the visible pixels) is dark on average, else with black,
    /// so that a digit drawn on a transparent canvas shows whatever its colour.
    /// </summary>
    internal static GrayImage FromRgba(int width, int height, ReadOnlySpan<byte> rgba, int rowBytes)
    {
        int count = width * height;
        float[] gray = new float[count];
        byte[] alphas = new byte[count];
        double inkSum = 0, alphaSum = 0;
        bool transparent = false;
        for (int i = 0; i < count; i++)
        {
            int at = i / width * rowBytes + i % width * 4;
            byte r = rgba[at], g = rgba[at + 1], b = rgba[at + 2], a = rgba[at + 3];
            alphas[i] = a;
            float lum = r == g && g == b ? r / 255f : (0.299f * r + 0.587f * g + 0.114f * b) / 255f;
            gray[i] = lum;
            if (a != 255)
            {
                transparent = true;
                inkSum += lum * a;
                alphaSum += a;
            }
            else
            {
                inkSum += lum * 255.0;
                alphaSum += 255.0;
            }
        }
        if (transparent)
        {
            float background = alphaSum > 0 && inkSum / alphaSum >= 0.5 ? 0f : 1f;
            for (int i = 0; i < count; i++)
            {
                float alpha = alphas[i] / 255f;
                gray[i] = alpha * gray[i] + (1 - alpha) * background;
            }
        }
        return new GrayImage(width, height, gray);
    }

    /// <summary>Parses a PGM (P2 plain or P5 raw); comments (# to the end of the line) may stand between the header's numbers.</summary>
    internal static GrayImage DecodePgm(string path, byte[] bytes)
    {
        bool plain = bytes[1] == (byte)'2';
        string kind = plain ? "PGM (P2)" : "PGM (P5)";
        int position = 2;
        if (position >= bytes.Length || !IsSpace(bytes[position]))
            throw new DataFormatException(path, $"corrupt {kind}: no white space after the magic number P{(char)bytes[1]}");
        long width = ReadHeaderNumber(path, kind, bytes, ref position, "width");
        long height = ReadHeaderNumber(path, kind, bytes, ref position, "height");
        long maxval = ReadHeaderNumber(path, kind, bytes, ref position, "maxval");
        if (width == 0 || height == 0) throw new DataFormatException(path, $"empty image: the {kind} header says {width}x{height}");
        if (maxval is < 1 or > 65535) throw new DataFormatException(path, $"corrupt {kind}: maxval is {maxval}; it must be 1 to 65535");
        CheckSize(path, width, height);
        int count = (int)(width * height);
        var pixels = new float[count];
        float full = maxval;
        if (plain)
        {
            // The header's last number ends at white space; the samples are decimal numbers separated by white space.
            for (int i = 0; i < count; i++)
            {
                SkipSpaceAndComments(bytes, ref position);
                if (position >= bytes.Length)
                    throw new DataFormatException(path, $"truncated {kind}: the header says {width}x{height} ({count} samples) but the file ends after {i} samples");
                long sample = ReadDigits(path, kind, bytes, ref position, $"sample {i}");
                if (sample > maxval) throw new DataFormatException(path, $"corrupt {kind}: sample {i} is {sample}, above maxval {maxval}");
                pixels[i] = sample / full;
            }
        }
        else
        {
            // Exactly one white space character separates maxval from the raster.
            position++;
            int bytesPerSample = maxval < 256 ? 1 : 2;
            long needed = (long)count * bytesPerSample;
            long available = Math.Max(0, bytes.Length - position);
            if (available < needed)
            {
                throw new DataFormatException(path,
                    $"truncated {kind}: the header says {width}x{height} with maxval {maxval} ({needed} bytes of samples) but the file has {available}");
            }
            for (int i = 0; i < count; i++)
            {
                int sample = bytesPerSample == 1 ? bytes[position + i] : (bytes[position + 2 * i] << 8) | bytes[position + 2 * i + 1];
                if (sample > maxval) throw new DataFormatException(path, $"corrupt {kind}: sample {i} is {sample}, above maxval {maxval}");
                pixels[i] = sample / full;
            }
        }
        return new GrayImage((int)width, (int)height, pixels);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    private static void SkipSpaceAndComments(byte[] bytes, ref int position)
    {
        while (position < bytes.Length)
        {
            if (IsSpace(bytes[position])) position++;
            else if (bytes[position] == (byte)'#')
            {
                while (position < bytes.Length && bytes[position] != (byte)'\n' && bytes[position] != (byte)'\r') position++;
            }
            else break;
        }
    }

    /// <summary>Reads one header number; the white space after it is not consumed.</summary>
    private static long ReadHeaderNumber(string path, string kind, byte[] bytes, ref int position, string what)
    {
        SkipSpaceAndComments(bytes, ref position);
        if (position >= bytes.Length) throw new DataFormatException(path, $"truncated {kind}: the header ends before the {what}");
        long value = ReadDigits(path, kind, bytes, ref position, $"the header's {what}");
        if (position >= bytes.Length)
        {
            if (what == "maxval") throw new DataFormatException(path, $"truncated {kind}: the file ends after the header, with no samples");
            throw new DataFormatException(path, $"truncated {kind}: the header ends after the {what}");
        }
        if (what == "maxval" && !IsSpace(bytes[position]))
            throw new DataFormatException(path, $"corrupt {kind}: no white space after maxval (byte '{Printable(bytes[position])}')");
        return value;
    }

    private static long ReadDigits(string path, string kind, byte[] bytes, ref int position, string what)
    {
        int start = position;
        long value = 0;
        while (position < bytes.Length && bytes[position] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (bytes[position] - '0');
            if (value > int.MaxValue) throw new DataFormatException(path, $"corrupt {kind}: {what} is too large");
            position++;
        }
        if (position == start) throw new DataFormatException(path, $"corrupt {kind}: {what} is not a number (byte '{Printable(bytes[position])}')");
        if (position < bytes.Length && !IsSpace(bytes[position]) && bytes[position] != (byte)'#')
            throw new DataFormatException(path, $"corrupt {kind}: {what} is not a number (byte '{Printable(bytes[position])}' after '{value}')");
        return value;
    }

    private static string Printable(byte b) => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"0x{b:x2}";

    private static void CheckSize(string path, long width, long height)
    {
        if (width <= 0 || height <= 0) throw new DataFormatException(path, $"empty image ({width}x{height})");
        if (width * height > MaxPixels)
            throw new DataFormatException(path, $"the image is too large ({width}x{height}); at most {MaxPixels / 1_000_000} megapixels are read");
    }

    /// <summary>MNIST's normalization of a decoded image; see <see cref="Load"/>.</summary>
    internal static float[] Normalize(string path, GrayImage image)
    {
        int width = image.Width, height = image.Height;
        float[] gray = (float[])image.Pixels.Clone();

        float min = float.MaxValue, max = float.MinValue;
        foreach (float v in gray)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (max - min < 1e-6f)
            throw new DataFormatException(path, $"no digit: the image ({width}x{height}) is all one colour");

        // The background is what most of the border shows; a light one is inverted so that the digit is white on black.
        float[] border = BorderPixels(gray, width, height);
        if (Median(border) > 0.5f)
        {
            for (int i = 0; i < gray.Length; i++) gray[i] = 1f - gray[i];
            for (int i = 0; i < border.Length; i++) border[i] = 1f - border[i];
        }

        // Black point: the background level plus its noise (3 median absolute deviations), so that paper
        // texture or a grey background becomes 0; white point: the brightest pixel, so that faint ink becomes white.
        float background = Median(border);
        for (int i = 0; i < border.Length; i++) border[i] = Math.Abs(border[i] - background);
        float black = background + 3 * Median(border);
        float white = 0;
        foreach (float v in gray) white = Math.Max(white, v);
        if (white - black < 0.02f)
            throw new DataFormatException(path, $"no digit: nothing in the image ({width}x{height}) stands out from the background");
        float stretch = 1f / (white - black);
        int left = width, right = -1, top = height, bottom = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                float v = gray[i] <= black ? 0f : Math.Min(1f, (gray[i] - black) * stretch);
                gray[i] = v;
                if (v > 0)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
            }
        }

        // The bounding box scaled to fit BoxSize x BoxSize, keeping the aspect ratio.
        int boxWidth = right - left + 1, boxHeight = bottom - top + 1;
        double factor = (double)BoxSize / Math.Max(boxWidth, boxHeight);
        int scaledWidth = Math.Clamp((int)Math.Round(boxWidth * factor), 1, BoxSize);
        int scaledHeight = Math.Clamp((int)Math.Round(boxHeight * factor), 1, BoxSize);
        float[] scaled = Resample(gray, width, left, top, boxWidth, boxHeight, scaledWidth, scaledHeight);

        // Centre of mass onto (Centre, Centre) by a whole-pixel shift, as MNIST; kept inside the field.
        double mass = 0, sumX = 0, sumY = 0;
        for (int y = 0; y < scaledHeight; y++)
        {
            for (int x = 0; x < scaledWidth; x++)
            {
                float v = scaled[y * scaledWidth + x];
                mass += v;
                sumX += v * x;
                sumY += v * y;
            }
        }
        if (mass <= 0) throw new DataFormatException(path, $"no digit: nothing in the image ({width}x{height}) stands out from the background");
        int offsetX = Math.Clamp((int)Math.Floor(Centre - sumX / mass + 0.5), 0, Size - scaledWidth);
        int offsetY = Math.Clamp((int)Math.Floor(Centre - sumY / mass + 0.5), 0, Size - scaledHeight);
        float[] result = new float[Size * Size];
        for (int y = 0; y < scaledHeight; y++)
            scaled.AsSpan(y * scaledWidth, scaledWidth).CopyTo(result.AsSpan((offsetY + y) * Size + offsetX));
        return result;
    }

    /// <summary>The pixels of the outer ring of the image, 1/16 of the shorter side thick (at least 1 pixel).</summary>
    private static float[] BorderPixels(float[] gray, int width, int height)
    {
        int thickness = Math.Max(1, Math.Min(width, height) / 16);
        var border = new List<float>();
        for (int y = 0; y < height; y++)
        {
            bool edgeRow = y < thickness || y >= height - thickness;
            for (int x = 0; x < width; x++)
            {
                if (edgeRow || x < thickness || x >= width - thickness) border.Add(gray[y * width + x]);
            }
        }
        return border.ToArray();
    }

    private static float Median(float[] values)
    {
        float[] sorted = (float[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>
    /// Scales the box (<paramref name="left"/>, <paramref name="top"/>, <paramref name="boxWidth"/> x <paramref name="boxHeight"/>)
    /// of <paramref name="source"/> to <paramref name="outWidth"/> x <paramref name="outHeight"/>, one axis after the other:
    /// shrinking averages the area each output pixel covers (anti-aliasing, like MNIST's), enlarging interpolates
    /// linearly; the same size copies exactly.
    /// </summary>
    private static float[] Resample(float[] source, int sourceWidth, int left, int top, int boxWidth, int boxHeight, int outWidth, int outHeight)
    {
        // Rows first: box columns -> outWidth, for each of the box's rows.
        float[] horizontal = new float[outWidth * boxHeight];
        float[] line = new float[Math.Max(boxWidth, boxHeight)];
        float[] outLine = new float[Math.Max(outWidth, outHeight)];
        for (int y = 0; y < boxHeight; y++)
        {
            Array.Copy(source, (top + y) * sourceWidth + left, line, 0, boxWidth);
            Resample1D(line.AsSpan(0, boxWidth), outLine.AsSpan(0, outWidth));
            outLine.AsSpan(0, outWidth).CopyTo(horizontal.AsSpan(y * outWidth));
        }
        float[] result = new float[outWidth * outHeight];
        for (int x = 0; x < outWidth; x++)
        {
            for (int y = 0; y < boxHeight; y++) line[y] = horizontal[y * outWidth + x];
            Resample1D(line.AsSpan(0, boxHeight), outLine.AsSpan(0, outHeight));
            for (int y = 0; y < outHeight; y++) result[y * outWidth + x] = outLine[y];
        }
        return result;
    }

    private static void Resample1D(ReadOnlySpan<float> input, Span<float> output)
    {
        int n = input.Length, m = output.Length;
        if (n == m)
        {
            input.CopyTo(output);
        }
        else if (m < n)
        {
            // Output pixel j covers [j * n / m, (j + 1) * n / m) of the input; average over it, weighting by overlap.
            double step = (double)n / m;
            for (int j = 0; j < m; j++)
            {
                double start = j * step, end = start + step, sum = 0;
                for (int i = (int)Math.Floor(start); i < n && i < end; i++)
                {
                    double overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                    if (overlap > 0) sum += overlap * input[i];
                }
                output[j] = (float)Math.Clamp(sum / step, 0, 1);
            }
        }
        else
        {
            // Pixel centres: output j + 0.5 maps to input (j + 0.5) * n / m; linear between input centres.
            double step = (double)n / m;
            for (int j = 0; j < m; j++)
            {
                double position = Math.Clamp((j + 0.5) * step - 0.5, 0, n - 1);
                int i = Math.Min((int)Math.Floor(position), n - 1);
                double t = position - i;
                float next = i + 1 < n ? input[i + 1] : input[i];
                output[j] = (float)((1 - t) * input[i] + t * next);
            }
        }
    }
}
