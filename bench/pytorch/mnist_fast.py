#!/usr/bin/python3
"""NetGen's MNIST network and training loop in plain PyTorch, written the fastest plain way on CPU.

Same as `netgen-mnist` with the default `mnist` spec of nets.json: 784-128-64-10 with ReLU,
cross-entropy loss, Adam (lr 0.001, betas 0.9/0.999, eps 1e-8), batch 32, a reshuffle per epoch,
the last batch of an epoch smaller, nn.Linear's default initialization. "Fastest plain form": the
whole data set is decoded once into float tensors scaled to [0, 1]; each step indexes a batch out of
them (no DataLoader, no per-image transform).

usage: /usr/bin/python3 mnist_fast.py DATA_DIR [--threads N] [--epochs N] [--seed N]
  DATA_DIR holds the four MNIST IDX files, gzipped (.gz) or plain, e.g. data/mnist of the repo.
  --threads N sets torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N (unless already set).

Output: one line per epoch and the test accuracy in netgen-mnist's format, so that one parser reads
both, then a machine-readable last line:
  RESULT impl=pytorch threads=1 blas_threads=1 epochs=5 seed=0 acc=97.48 import_s=.. load_s=.. train_s=.. eval_s=.. total_s=..
import_s is the time to import torch; total_s is load + train + eval (from after the import).
The whole-process wall time (interpreter start, import, everything) is for the caller to measure.
"""
import argparse
import gzip
import os
import struct
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description="NetGen's MNIST network and loop in plain PyTorch.")
    parser.add_argument("data", help="folder with the four MNIST IDX files (.gz or plain)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads and OpenBLAS threads (default 1)")
    parser.add_argument("--epochs", type=int, default=5, help="passes over the training set (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed: initialization and shuffling (default 0)")
    parser.add_argument("--batch-size", type=int, default=32, help="images per optimizer step (default 32)")
    args = parser.parse_args()
    if args.threads < 1 or args.epochs < 1 or args.batch_size < 1:
        parser.error("--threads, --epochs and --batch-size must be at least 1")
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
import torch.optim as optim  # noqa: E402
_t_imported = time.perf_counter()


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


def images(directory, name):
    x = read_idx(directory, name)
    return torch.from_numpy(x.reshape(x.shape[0], -1).astype(np.float32) / 255.0)


def labels(directory, name):
    return torch.from_numpy(read_idx(directory, name).astype(np.int64))


def main():
    args = ARGS
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    x_train = images(args.data, "train-images-idx3-ubyte")
    y_train = labels(args.data, "train-labels-idx1-ubyte")
    x_test = images(args.data, "t10k-images-idx3-ubyte")
    y_test = labels(args.data, "t10k-labels-idx1-ubyte")
    model = nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    t1 = time.perf_counter()
    print(f"Training pytorch {torch.__version__} on {x_train.shape[0]} images: {args.epochs} epochs, "
          f"batch {args.batch_size}, lr 0.001, seed {args.seed}, threads {torch.get_num_threads()} "
          f"(OpenBLAS {os.environ['OPENBLAS_NUM_THREADS']})", flush=True)

    n = x_train.shape[0]
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
    with torch.no_grad():
        correct = int((model(x_test).argmax(1) == y_test).sum().item())
    total = y_test.shape[0]
    t3 = time.perf_counter()
    acc = 100.0 * correct / total
    print(f"Test accuracy: {acc:.2f}% ({correct}/{total})")
    print(f"RESULT impl=pytorch threads={args.threads} blas_threads={os.environ['OPENBLAS_NUM_THREADS']} epochs={args.epochs} seed={args.seed} acc={acc:.2f} "
          f"import_s={_t_imported - _t_start:.3f} load_s={t1 - t0:.3f} train_s={t2 - t1:.3f} "
          f"eval_s={t3 - t2:.3f} total_s={t3 - t0:.3f}", flush=True)


if __name__ == "__main__":
    main()
