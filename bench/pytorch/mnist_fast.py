#!/usr/bin/python3
"""NetGen's MNIST network and training loop in plain PyTorch, written the fastest plain way on CPU.

Same as `netgen-mnist` with the default `mnist` spec of nets.json: 784-128-64-10 with ReLU,
cross-entropy loss, Adam (lr 0.001, betas 0.9/0.999, eps 1e-8), batch 32, a reshuffle per epoch,
the last batch of an epoch smaller, nn.Linear's default initialization. "Fastest plain form": the
whole data set is decoded once into float tensors scaled to [0, 1]; each step indexes a batch out of
them (no DataLoader, no per-image transform). The loop, data and output are peer.py's.

usage: /usr/bin/python3 mnist_fast.py DATA_DIR [--threads N] [--epochs N] [--seed N] [--batch-size N]
  DATA_DIR holds the four MNIST IDX files, gzipped (.gz) or plain, e.g. data/mnist of the repo.
  --threads N sets torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N (unless already set).

Output: one line per epoch and the test accuracy in netgen-mnist's format, so that one parser reads
both, then a machine-readable last line:
  RESULT impl=pytorch net=mnist threads=1 blas_threads=1 epochs=5 seed=0 train_images=60000 acc=97.48 import_s=.. load_s=.. train_s=.. eval_s=.. total_s=..
import_s is the time to import torch; total_s is load + train + eval (from after the import).
The whole-process wall time (interpreter start, import, everything) is for the caller to measure.
"""
import time

import peer

ARGS = peer.parse_args("NetGen's MNIST network and loop in plain PyTorch.")
peer.limit_blas_threads(ARGS.threads)

_t_start = time.perf_counter()
import torch.nn as nn  # noqa: E402
_t_imported = time.perf_counter()


def model():
    return nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10))


if __name__ == "__main__":
    peer.run(ARGS, "mnist", model, (784,), _t_start, _t_imported)
