#!/usr/bin/python3
"""Makes the trained mnist_cnn fixture of this folder: a model that PyTorch itself trained, saved as
`safetensors.torch.save_file(model.state_dict(), path, metadata={"format": "pt"})` would save it, and what
PyTorch predicts with it on the whole MNIST test set, so that NetGen can be checked to load a real PyTorch
file and predict exactly what PyTorch predicts (issue 12). See README.md in this folder.

usage: /usr/bin/python3 make_trained.py [--data DIR] [--out DIR]
  --data DIR  the four MNIST IDX files, .gz or plain (default: data/mnist of the repository)
  --out DIR   where to write (default: this script's folder)

Writes mnist_cnn.trained.safetensors (the state_dict) and mnist_cnn.trained-predictions.safetensors
(predictions, top-2 margins and accuracy on the 10,000 test images, logits of the first 100), then reads both
back, loads the state into a fresh module with strict=True and recomputes every stored value bit for bit.

Deterministic as make_fixtures.py: one thread, torch.use_deterministic_algorithms(True), seed 1234.
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before torch loads OpenBLAS (see make_fixtures.py)
os.environ["OMP_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ here: the test project copies this folder beside its assembly
import make_fixtures  # noqa: E402
import safetensors_io  # noqa: E402
from make_fixtures import METADATA, MnistCnn, SEED, adam_steps, mnist  # noqa: E402

STEPS = 600          # Adam steps
BATCH = 32           # images per step: the first STEPS x BATCH = 19,200 training images, once, in file order
LR = 0.001
TEST_COUNT = 10_000  # the whole test set
LOGIT_IMAGES = 100   # logits stored for the first test images
CHUNK = 500          # test images per forward call (memory only)


def train(data):
    torch.manual_seed(SEED)
    model = MnistCnn()
    train_x, train_y = mnist(data, "train", STEPS * BATCH)

    def report(step, loss):
        if step % 50 == 0 or step == STEPS - 1:
            print(f"step {step + 1}/{STEPS}: loss {loss.item():.4f}")
    adam_steps(model, train_x, train_y, STEPS, BATCH, LR, report)
    return model


def evaluate(model, images):
    """Eval-mode logits of every image, float32 [count, 10]."""
    model.eval()
    with torch.no_grad():
        return torch.cat([model(images[i:i + CHUNK]) for i in range(0, len(images), CHUNK)]).numpy()


def results(logits, labels):
    """predictions (first maximum, as torch.argmax and NetGen's Classify), top-2 margins, correct count."""
    predictions = logits.argmax(axis=1).astype(np.int64)
    top2 = np.sort(logits, axis=1)[:, -2:]
    margins = (top2[:, 1] - top2[:, 0]).astype(np.float32)
    return predictions, margins, int((predictions == labels).sum())


def state_file_tensors(model):
    """The state_dict as safetensors.torch.save_file writes it: sorted by dtype (all F32 here), then by name."""
    return sorted(make_fixtures.numpy_state(model), key=lambda item: item[0])


def main():
    parser = argparse.ArgumentParser(description="Trains PyTorch's mnist_cnn briefly and stores it with its predictions.")
    parser.add_argument("--data", default=os.path.join(make_fixtures.ROOT, "data", "mnist"), help="folder of the MNIST IDX files")
    parser.add_argument("--out", default=HERE, help="output folder (default: this script's folder)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    print(f"torch {torch.__version__}, numpy {np.__version__}, seed {SEED}, {torch.get_num_threads()} thread, "
          f"deterministic algorithms {torch.are_deterministic_algorithms_enabled()}")

    model = train(args.data)
    test_x, test_y = mnist(args.data, "t10k", TEST_COUNT)
    logits = evaluate(model, test_x)
    predictions, margins, correct = results(logits, test_y.numpy())
    print(f"PyTorch: Test accuracy: {100.0 * correct / TEST_COUNT:.2f}% ({correct}/{TEST_COUNT}); "
          f"smallest top-2 margin {margins.min():.6g} (image {int(margins.argmin())}), "
          f"{int((margins < 1e-3).sum())} below 1e-3")

    state_path = make_fixtures.write(args.out, "mnist_cnn.trained.safetensors", state_file_tensors(model))
    predictions_path = make_fixtures.write(args.out, "mnist_cnn.trained-predictions.safetensors", [
        ("predictions", predictions), ("margins", margins), ("correct", np.array(correct, dtype=np.int64)),
        ("logits", logits[:LOGIT_IMAGES].copy())])

    # Read both back with our reader, load the state strictly into a fresh module and recompute everything.
    metadata, state = safetensors_io.load(state_path)
    assert metadata == METADATA, metadata
    assert list(state) == sorted(model.state_dict()), list(state)
    fresh = MnistCnn()
    fresh.load_state_dict({name: torch.from_numpy(t.copy()) for name, t in state.items()}, strict=True)
    again = evaluate(fresh, test_x)
    assert np.array_equal(again, logits), "the reloaded model's logits differ"
    metadata, stored = safetensors_io.load(predictions_path)
    assert metadata == METADATA, metadata
    assert [(n, list(t.shape), safetensors_io.DTYPES[t.dtype.newbyteorder("=")]) for n, t in stored.items()] == [
        ("predictions", [TEST_COUNT], "I64"), ("margins", [TEST_COUNT], "F32"), ("correct", [], "I64"),
        ("logits", [LOGIT_IMAGES, 10], "F32")], list(stored)
    p, m, c = results(again, test_y.numpy())
    assert np.array_equal(stored["predictions"], p) and np.array_equal(stored["margins"], m) and int(stored["correct"]) == c
    assert np.array_equal(stored["logits"], again[:LOGIT_IMAGES])
    print("read back, reloaded into a fresh MnistCnn (strict) and recomputed bit for bit")


if __name__ == "__main__":
    main()
