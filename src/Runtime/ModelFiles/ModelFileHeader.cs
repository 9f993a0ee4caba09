using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The header of a model file, read and checked on its own (<see cref="SafetensorsReader.ReadHeader"/>): what it says
/// besides the tensors, each tensor's entry, and where the tensors' bytes are in the stream.
/// </summary>
/// <param name="Name">The file's name in error messages.</param>
/// <param name="Checkpoint">The metadata, parsed.</param>
/// <param name="Entries">The tensors in the header's order; their offsets are valid and cover the data exactly.</param>
/// <param name="DataStart">The stream position of the first byte after the header.</param>
/// <param name="DataLength">The bytes from there to the end of the stream.</param>
internal sealed record ModelFileHeader(string Name, Checkpoint Checkpoint, IReadOnlyList<TensorEntry> Entries, long DataStart, long DataLength);
