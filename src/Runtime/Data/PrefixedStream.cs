using System;
using System.IO;

namespace NetGen;

/// <summary>
/// A read-only stream that returns some bytes already read from a stream, then the rest of that stream;
/// lets <see cref="IdxReader"/> look at the first bytes of a stream that cannot seek.
/// </summary>
internal sealed class PrefixedStream : Stream
{
    private readonly byte[] _prefix;
    private readonly Stream _rest;
    private int _prefixPosition;

    public PrefixedStream(ReadOnlySpan<byte> prefix, Stream rest)
    {
        _prefix = prefix.ToArray();
        _rest = rest;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int left = _prefix.Length - _prefixPosition;
        if (left == 0) return _rest.Read(buffer);
        int n = Math.Min(left, buffer.Length);
        _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
        _prefixPosition += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
