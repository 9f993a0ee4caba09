"""Writes mnist-test-0.gif, the GIF fixture of DigitImageFormatTests (SkiaSharp decodes GIF but does not encode it).

An animated GIF of two frames, both 28x28 grey (a 256-level grey palette, so lossless): the first is MNIST test image 0
(a 7), the second test image 1 (a 2). The program reads the first frame only, so the file must classify as the 7.
Run from the repository's root: /usr/bin/python3 tests/NetGen.Mnist.Tests/Fixtures/make_gif.py (needs PIL: python3-pil).
"""
import gzip
import os

from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "..", "..")
with gzip.open(os.path.join(root, "data", "mnist", "t10k-images-idx3-ubyte.gz"), "rb") as f:
    data = f.read()
assert int.from_bytes(data[0:4], "big") == 0x803 and data[8:16] == (28).to_bytes(4, "big") * 2
frames = [Image.frombytes("L", (28, 28), data[16 + 784 * i:16 + 784 * (i + 1)]) for i in (0, 1)]
frames[0].save(os.path.join(here, "mnist-test-0.gif"), save_all=True, append_images=frames[1:], duration=500, loop=0)
