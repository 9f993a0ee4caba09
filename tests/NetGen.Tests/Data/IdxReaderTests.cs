using System;
using System.IO;
using System.Threading.Tasks;
using NetGen;
using Xunit;

namespace NetGen.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static DataFormatException AssertFails(string path, params string[] phrases)
    {
        var ex = Assert.Throws<DataFormatException>(() => IdxReader.Read(path));
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        foreach (string phrase in phrases) Assert.Contains(phrase, ex.Message);
        return ex;
    }

    [Fact]
    public void ReadsPlainFile()
    {
        byte[] data = IdxTestFiles.Pattern(3 * 4 * 5);
        string path = Write("images-idx3-ubyte", IdxTestFiles.Bytes(new[] { 3, 4, 5 }, data));

        IdxFile file = IdxReader.Read(path);

        Assert.Equal(new[] { 3, 4, 5 }, file.Dimensions);
        Assert.Equal(data, file.Data);
    }

    [Fact]
    public void ReadsGzippedFile()
    {
        byte[] data = IdxTestFiles.Pattern(7);
        string path = Write("labels-idx1-ubyte.gz", IdxTestFiles.Gzip(IdxTestFiles.Bytes(new[] { 7 }, data)));

        IdxFile file = IdxReader.Read(path);

        Assert.Equal(new[] { 7 }, file.Dimensions);
        Assert.Equal(data, file.Data);
    }

    [Fact]
    public void DetectsGzipByMagicWhateverTheName()
    {
        byte[] data = IdxTestFiles.Pattern(2 * 3 * 3 * 2);
        string path = Write("things.idx", IdxTestFiles.Gzip(IdxTestFiles.Bytes(new[] { 2, 3, 3, 2 }, data)));

        IdxFile file = IdxReader.Read(path);

        Assert.Equal(new[] { 2, 3, 3, 2 }, file.Dimensions);
        Assert.Equal(data, file.Data);
    }

    [Fact]
    public void ReadsFromNonSeekableStream()
    {
        byte[] data = IdxTestFiles.Pattern(2 * 5);
        byte[] gz = IdxTestFiles.Gzip(IdxTestFiles.Bytes(new[] { 2, 5 }, data));
        using var stream = new ForwardOnlyStream(gz);

        IdxFile file = IdxReader.Read(stream, "memory.gz");

        Assert.Equal(new[] { 2, 5 }, file.Dimensions);
        Assert.Equal(data, file.Data);
    }

    [Fact]
    public void TruncatedData()
    {
        byte[] full = IdxTestFiles.Images(3, 4, 5);
        string path = Write("short-idx3-ubyte", full[..(full.Length - 10)]);

        AssertFails(path, "truncated", "3 images of 4x5 (76 bytes)", "ends after 66 bytes");
    }

    [Fact]
    public void TruncatedGzippedData()
    {
        byte[] full = IdxTestFiles.Images(3, 4, 5);
        string path = Write("short-idx3-ubyte.gz", IdxTestFiles.Gzip(full[..(full.Length - 10)]));

        AssertFails(path, "truncated", "(76 bytes)", "decompressed data ends after 66 bytes");
    }

    [Fact]
    public void TruncatedHeader()
    {
        byte[] full = IdxTestFiles.Images(3, 4, 5);
        string path = Write("header-idx3-ubyte", full[..10]);

        AssertFails(path, "truncated", "inside the header");
    }

    [Fact]
    public void EmptyFile()
    {
        string path = Write("empty", Array.Empty<byte>());

        AssertFails(path, "empty file");
    }

    [Fact]
    public void TrailingGarbage()
    {
        byte[] full = IdxTestFiles.Labels(1, 2, 3);
        string path = Write("long-idx1-ubyte", [.. full, 0xde, 0xad]);

        AssertFails(path, "trailing data", "(11 bytes)", "2 more bytes");
    }

    [Fact]
    public void WrongMagic()
    {
        string path = Write("not-idx", IdxTestFiles.Build(0x08, new[] { 3 }, new byte[3], first: 0x12, second: 0x34));

        AssertFails(path, "not an IDX file", "starts with 12 34 08 01");
    }

    [Fact]
    public void UnsupportedTypeCode()
    {
        string path = Write("floats-idx1", IdxTestFiles.Build(0x0D, new[] { 1 }, new byte[4]));

        AssertFails(path, "unsupported data type 0x0D", "float32");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void UnsupportedDimensionCount(int rank)
    {
        string path = Write("rank-idx", IdxTestFiles.Bytes(new int[rank], Array.Empty<byte>()));

        AssertFails(path, "number of dimensions: " + rank);
    }

    [Fact]
    public void ZeroDimension()
    {
        string path = Write("zero-idx3-ubyte", IdxTestFiles.Bytes(new[] { 3, 0, 5 }, Array.Empty<byte>()));

        AssertFails(path, "dimension 2 of 3 is 0", "positive");
    }

    [Fact]
    public void NegativeDimension()
    {
        string path = Write("negative-idx1-ubyte", IdxTestFiles.Bytes(new[] { -1 }, Array.Empty<byte>()));

        AssertFails(path, "dimension 1 of 1 is -1");
    }

    [Fact]
    public void DimensionsTooLarge()
    {
        string path = Write("huge-idx3-ubyte", IdxTestFiles.Bytes(new[] { 60000, 100000, 28 }, new byte[16]));

        AssertFails(path, "too large", "60000x100000x28");
    }

    [Fact]
    public void MissingFile()
    {
        string path = _temp.File("no-such-file.gz");

        AssertFails(path, "file not found");
    }

    [Fact]
    public void FolderInsteadOfFile()
    {
        AssertFails(_temp.Path, "is a folder");
    }

    [Fact]
    public void CorruptGzip()
    {
        // A valid gzip header (magic, deflate, no flags, mtime, xfl, OS), then bytes that are not deflate data
        // (0xff starts a block of the reserved type 3).
        byte[] bytes = [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        string path = Write("corrupt-idx3-ubyte.gz", bytes);

        var ex = AssertFails(path, "corrupt gzip data");
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public async Task AStreamOfEndlessBytesAfterTheDataEndsAsTrailingData()
    {
        // A stream of unknown length (a pipe) could send bytes forever: after the data, the reader counts at most 1 MB of them.
        byte[] header = IdxTestFiles.Bytes(new[] { 2, 3 }, new byte[6]);
        using var stream = new EndlessStream(header);
        Task<DataFormatException> read = Task.Run(() => Assert.Throws<DataFormatException>(() => IdxReader.Read(stream, "pipe")));

        Assert.True(await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(60))) == read, "still reading after 60 s");
        Assert.Equal("pipe: trailing data: header says 2 items of 3 (18 bytes) but the file has at least 1048576 more bytes after them", (await read).Message);
    }

    /// <summary>A stream that cannot seek: some bytes, then zeros without end.</summary>
    private sealed class EndlessStream(byte[] start) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            for (; n < count && _position < start.Length; n++) buffer[offset + n] = start[_position++];
            if (n > 0) return n;
            Array.Clear(buffer, offset, count);
            return count;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that can only be read forward, in small pieces.</summary>
    private sealed class ForwardOnlyStream : Stream
    {
        private readonly MemoryStream _inner;

        public ForwardOnlyStream(byte[] bytes) => _inner = new MemoryStream(bytes);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 3));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
