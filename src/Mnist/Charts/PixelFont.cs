using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using SkiaSharp;

namespace NetGen.Mnist;

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
