"""A small safetensors writer and reader (the `safetensors` package is not a Debian package).

The format (https://huggingface.co/docs/safetensors): an 8-byte little-endian unsigned header length N,
N bytes of UTF-8 JSON, then the tensors' raw little-endian bytes. The JSON maps each tensor's name to
{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]} (offsets relative to the first byte after
the header, contiguous, no gaps) and may hold "__metadata__": {string: string}.

Written like NetGen's SafetensorsWriter (src/Runtime/ModelFiles/SafetensorsWriter.cs): "__metadata__"
first, then the tensors in the order given, the header padded with spaces so that the data starts at
a multiple of 8 bytes. Needs only the standard library and numpy.
"""
import json
import struct

import numpy as np

# safetensors dtype names of the numpy types the fixtures use, and back.
DTYPES = {np.dtype("float32"): "F32", np.dtype("int64"): "I64", np.dtype("float64"): "F64", np.dtype("int32"): "I32"}
NUMPY = {name: dtype.newbyteorder("<") for dtype, name in DTYPES.items()}


def dumps(tensors, metadata=None):
    """The file's bytes: tensors is a list of (name, numpy array) in the order to write them."""
    header = {}
    if metadata is not None:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("safetensors metadata keys and values must be strings")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, array in tensors:
        if name == "__metadata__" or name in header:
            raise ValueError(f"tensor name {name!r} is reserved or repeated")
        array = np.asarray(array)
        if array.dtype not in DTYPES:
            raise ValueError(f"tensor {name}: dtype {array.dtype} is not supported")
        data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save(path, tensors, metadata=None):
    data = dumps(tensors, metadata)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def loads(data, source="<bytes>"):
    """(metadata or None, {name: numpy array}) in the header's order; checks the layout strictly."""
    def fail(message):
        raise ValueError(f"{source}: {message}")

    if len(data) < 8:
        fail("shorter than the 8-byte header length")
    (length,) = struct.unpack_from("<Q", data, 0)
    if length > len(data) - 8:
        fail(f"header length {length} but only {len(data) - 8} bytes follow")
    header = json.loads(data[8:8 + length].decode("utf-8"))
    if not isinstance(header, dict):
        fail("the header is not a JSON object")
    body = memoryview(data)[8 + length:]
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not (isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())):
        fail("__metadata__ is not an object of strings")
    tensors = {}
    spans = []
    for name, entry in header.items():
        if set(entry) != {"dtype", "shape", "data_offsets"}:
            fail(f"tensor {name}: fields {sorted(entry)}")
        if entry["dtype"] not in NUMPY:
            fail(f"tensor {name}: unsupported dtype {entry['dtype']}")
        dtype = NUMPY[entry["dtype"]]
        shape = tuple(entry["shape"])
        begin, end = entry["data_offsets"]
        count = int(np.prod(shape, dtype=np.int64))
        if not (0 <= begin <= end <= len(body)) or end - begin != count * dtype.itemsize:
            fail(f"tensor {name}: offsets [{begin}, {end}) do not fit shape {list(shape)} of {entry['dtype']}")
        tensors[name] = np.frombuffer(body[begin:end], dtype=dtype).reshape(shape)
        spans.append((begin, end, name))
    position = 0
    for begin, end, name in sorted(spans):
        if begin != position:
            fail(f"tensor {name} starts at {begin}, expected {position} (a gap or an overlap)")
        position = end
    if position != len(body):
        fail(f"{len(body) - position} bytes after the last tensor")
    return metadata, tensors


def load(path):
    with open(path, "rb") as f:
        return loads(f.read(), path)
