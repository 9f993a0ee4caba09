#!/usr/bin/python3
"""NetGen's "mnist_cnn" network and training loop in plain PyTorch, written the fastest plain way on CPU.

The network of nets.json's mnist_cnn: conv1 Conv2d(1, 16, 3, padding=1), ReLU, MaxPool2d(2), conv2
Conv2d(16, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, fc1 Linear(1568, 128), ReLU, fc2 Linear(128, 10)
(module names as nets.json's, so the state_dict keys are conv1.weight, ..., fc2.bias); cross-entropy,
Adam (lr 0.001, betas 0.9/0.999, eps 1e-8), batch 32, a reshuffle per epoch, the last batch of an epoch
smaller, PyTorch's default initialization. "Fastest plain form", as bench/pytorch/mnist_fast.py: the whole
data set decoded once into float tensors [N, 1, 28, 28] scaled to [0, 1]; each step indexes a batch out
of them (no DataLoader, no per-image transform).

usage: /usr/bin/python3 mnist_cnn.py DATA_DIR [--threads N] [--epochs N] [--seed N] [--batch-size N]
                                     [--train-images N] [--eval both|whole|chunks] [--eval-chunk N]
  DATA_DIR holds the four MNIST IDX files, gzipped (.gz) or plain, e.g. data/mnist of the repo.
  --threads N sets torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N (unless already set).
  --train-images N trains on the first N training images only (a quick run); the test set is always whole.
  --eval: how the 10,000 test images are evaluated after training, each way timed on its own:
    whole = one batch of all of them; chunks = batches of --eval-chunk (default 1000); both (default) =
    chunks, then whole (the accuracy printed is the chunked one; the two must agree).

Output: one line per epoch and the test accuracy in netgen-mnist's format, so that one parser reads
both, the evaluation times, then a machine-readable last line:
  RESULT impl=pytorch net=mnist_cnn threads=1 blas_threads=1 epochs=5 seed=0 train_images=60000 acc=98.95
         import_s=.. load_s=.. train_s=.. eval_s=.. eval_whole_s=.. eval_chunks_s=.. total_s=..
eval_s is the evaluation that was used for acc (the chunked one unless --eval whole); eval_whole_s and
eval_chunks_s are each way's time, or "-" when not run. total_s is load + train + every evaluation (from
after the import). The whole-process wall time (interpreter start, import, everything) is for the caller.
"""
import argparse
import gzip
import os
import struct
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description="NetGen's mnist_cnn network and loop in plain PyTorch.")
    parser.add_argument("data", help="folder with the four MNIST IDX files (.gz or plain)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads and OpenBLAS threads (default 1)")
    parser.add_argument("--epochs", type=int, default=5, help="passes over the training set (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed: initialization and shuffling (default 0)")
    parser.add_argument("--batch-size", type=int, default=32, help="images per optimizer step (default 32)")
    parser.add_argument("--train-images", type=int, default=None, help="train on the first N training images only (default: all)")
    parser.add_argument("--eval", choices=("both", "whole", "chunks"), default="both",
                        help="evaluate the test set in one batch, in chunks, or both, each timed (default both)")
    parser.add_argument("--eval-chunk", type=int, default=1000, help="images per evaluation chunk (default 1000)")
    args = parser.parse_args()
    if args.threads < 1 or args.epochs < 1 or args.batch_size < 1 or args.eval_chunk < 1:
        parser.error("--threads, --epochs, --batch-size and --eval-chunk must be at least 1")
    if args.train_images is not None and args.train_images < 1:
        parser.error("--train-images must be at least 1")
    return args


ARGS = parse_args()
# Debian's torch is built with BLAS_INFO=generic: it calls whatever libblas.so.3 is installed
# (OpenBLAS with libopenblas0-pthread) and torch.set_num_threads does not reach that library's own
# thread pool, which starts one thread per core. Without this, "1 thread" uses more than one core.
# It has to be set before torch loads the library; an explicit setting in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))

_t_start = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import torch.optim as optim  # noqa: E402
_t_imported = time.perf_counter()


class MnistCnn(nn.Module):
    """nets.json's mnist_cnn, with its layer names."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)   # [B, 16, 14, 14]
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)   # [B, 32, 7, 7]
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def read_idx(directory, name):
    """Reads one IDX file (name without .gz) as a numpy array of its dimensions."""
    path = os.path.join(directory, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            data = f.read()
    elif os.path.exists(path):
        with open(path, "rb") as f:
            data = f.read()
    else:
        sys.exit(f"error: neither {path}.gz nor {path} exists")
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        sys.exit(f"error: {path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def images(directory, name, limit=None):
    x = read_idx(directory, name)[:limit]
    return torch.from_numpy(x.reshape(x.shape[0], 1, 28, 28).astype(np.float32) / 255.0)


def labels(directory, name, limit=None):
    return torch.from_numpy(read_idx(directory, name)[:limit].astype(np.int64))


def correct_count(model, x, y, chunk=None):
    """Right answers on (x, y): in one batch, or in batches of chunk images."""
    with torch.no_grad():
        if chunk is None:
            return int((model(x).argmax(1) == y).sum().item())
        return sum(int((model(x[i:i + chunk]).argmax(1) == y[i:i + chunk]).sum().item())
                   for i in range(0, x.shape[0], chunk))


def main():
    args = ARGS
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    x_train = images(args.data, "train-images-idx3-ubyte", args.train_images)
    y_train = labels(args.data, "train-labels-idx1-ubyte", args.train_images)
    x_test = images(args.data, "t10k-images-idx3-ubyte")
    y_test = labels(args.data, "t10k-labels-idx1-ubyte")
    model = MnistCnn()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    t1 = time.perf_counter()
    n = x_train.shape[0]
    print(f"Training pytorch {torch.__version__} mnist_cnn ({sum(p.numel() for p in model.parameters()):,} parameters) "
          f"on {n} images: {args.epochs} epochs, batch {args.batch_size}, lr 0.001, seed {args.seed}, "
          f"threads {torch.get_num_threads()} (OpenBLAS {os.environ['OPENBLAS_NUM_THREADS']})", flush=True)

    model.train()
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(n)
        loss_sum = torch.zeros(())
        steps = 0
        for first in range(0, n, args.batch_size):
            batch = order[first:first + args.batch_size]
            loss = loss_fn(model(x_train[batch]), y_train[batch])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.detach()
            steps += 1
        # The same line as netgen-mnist's.
        print(f"Epoch {epoch}/{args.epochs}  loss {loss_sum.item() / steps:.4f}  {time.perf_counter() - start:.2f} s", flush=True)
    t2 = time.perf_counter()

    model.eval()
    total = y_test.shape[0]
    times = {}
    counts = {}
    for way in (("chunks", "whole") if args.eval == "both" else (args.eval,)):
        start = time.perf_counter()
        counts[way] = correct_count(model, x_test, y_test, args.eval_chunk if way == "chunks" else None)
        times[way] = time.perf_counter() - start
        label = f"in chunks of {args.eval_chunk}" if way == "chunks" else "in one batch"
        print(f"Evaluation {label}: {times[way]:.3f} s, {counts[way]}/{total} right", flush=True)
    t3 = time.perf_counter()
    if len(set(counts.values())) > 1:
        print(f"warning: the two evaluations disagree: {counts}", file=sys.stderr)
    used = "whole" if args.eval == "whole" else "chunks"
    correct = counts[used]
    acc = 100.0 * correct / total
    print(f"Test accuracy: {acc:.2f}% ({correct}/{total})")

    def shown(way):
        return f"{times[way]:.3f}" if way in times else "-"
    print(f"RESULT impl=pytorch net=mnist_cnn threads={args.threads} blas_threads={os.environ['OPENBLAS_NUM_THREADS']} "
          f"epochs={args.epochs} seed={args.seed} train_images={n} acc={acc:.2f} "
          f"import_s={_t_imported - _t_start:.3f} load_s={t1 - t0:.3f} train_s={t2 - t1:.3f} "
          f"eval_s={times[used]:.3f} eval_whole_s={shown('whole')} eval_chunks_s={shown('chunks')} total_s={t3 - t0:.3f}", flush=True)


if __name__ == "__main__":
    main()
