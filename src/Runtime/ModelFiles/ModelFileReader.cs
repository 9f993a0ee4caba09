using System;
using System.IO;

namespace NetGen;

/// <summary>
/// A model file opened for reading, its header already read and checked (<see cref="ModelFile.OpenRead"/>): what it says
/// is known before any network exists, so the network can be made to match it (its seed, thread count, learning rate),
/// and <see cref="Load"/> then reads the tensors from the same open file.
/// </summary>
public sealed class ModelFileReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ModelFileHeader _header;
    private bool _disposed;

    /// <summary>Reads the header of <paramref name="stream"/> (seekable, from its position to its end).</summary>
    /// <param name="stream">The file's content.</param>
    /// <param name="name">The file's name in error messages.</param>
    /// <param name="leaveOpen">Whether <see cref="Dispose"/> leaves the stream open.</param>
    /// <param name="network">The network the file will be loaded into, if known: it bounds how many tensors the header may list.</param>
    /// <exception cref="ModelFormatException">The stream cannot be read or the header is malformed.</exception>
    internal ModelFileReader(Stream stream, string name, bool leaveOpen, INetwork? network = null)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _header = Reading(name, () => SafetensorsReader.ReadHeader(stream, name, network));
    }

    /// <summary>What the file says besides its tensors (nulls for a file without NetGen metadata, e.g. from PyTorch).</summary>
    public Checkpoint Checkpoint => _header.Checkpoint;

    /// <summary>
    /// Reads the tensors into <paramref name="network"/>, as <see cref="ModelFile.Load(string, INetwork)"/> does: everything is
    /// checked against the network first, and nothing is changed on failure. May be called again (the tensors are read again).
    /// </summary>
    /// <returns><see cref="Checkpoint"/>.</returns>
    /// <exception cref="ModelFormatException">The file does not fit the network, cannot be read, or holds NaN or infinite values.</exception>
    public Checkpoint Load(INetwork network)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(network);
        LoadPlan plan = Reading(_header.Name, () => SafetensorsReader.ReadTensors(_header, _stream, network));
        plan.Apply(network);
        return plan.Checkpoint;
    }

    /// <summary>Closes the file (a stream given to <see cref="ModelFile"/> is left open).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_leaveOpen) _stream.Dispose();
    }

    /// <summary>Runs a read, turning a failure of the stream itself into a <see cref="ModelFormatException"/> that names the file.</summary>
    private static T Reading<T>(string name, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw ModelFile.Error(name, "cannot read: " + ex.Message, ex);
        }
    }
}
