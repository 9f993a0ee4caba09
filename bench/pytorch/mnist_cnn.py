#!/usr/bin/python3
"""NetGen's "mnist_cnn" network and training loop in plain PyTorch, written the fastest plain way on CPU.

The network of nets.json's mnist_cnn: conv1 Conv2d(1, 16, 3, padding=1), ReLU, MaxPool2d(2), conv2
Conv2d(16, 32, 3, padding=1), ReLU, MaxPool2d(2), Flatten, fc1 Linear(1568, 128), ReLU, fc2 Linear(128, 10)
(module names as nets.json's, so the state_dict keys are conv1.weight, ..., fc2.bias); cross-entropy,
Adam (lr 0.001, betas 0.9/0.999, eps 1e-8), batch 32, a reshuffle per epoch, the last batch of an epoch
smaller, PyTorch's default initialization. "Fastest plain form", as mnist_fast.py: the whole data set
decoded once into float tensors [N, 1, 28, 28] scaled to [0, 1]; each step indexes a batch out of them
(no DataLoader, no per-image transform). The loop, data and output are peer.py's.

usage: /usr/bin/python3 mnist_cnn.py DATA_DIR [--threads N] [--epochs N] [--seed N] [--batch-size N]
                                     [--train-images N] [--eval both|whole|chunks] [--eval-chunk N]
  DATA_DIR holds the four MNIST IDX files, gzipped (.gz) or plain, e.g. data/mnist of the repo.
  --threads N sets torch.set_num_threads(N) and OPENBLAS_NUM_THREADS=N (unless already set).
  --train-images N trains on the first N training images only (a quick run); the test set is always whole.
  --eval: how the 10,000 test images are evaluated after training, each way timed on its own:
    whole = one batch of all of them; chunks = batches of --eval-chunk (default 1000); both (default) =
    chunks, then whole (the accuracy printed is the chunked one; the two must agree).

Output: mnist_fast.py's lines, a line per evaluation with its time, and in the RESULT line also
train_images=N, eval_whole_s and eval_chunks_s (each way's time, "-" when not run); eval_s is the
evaluation the accuracy comes from (the chunked one unless --eval whole).
"""
import time

import peer

ARGS = peer.parse_args("NetGen's mnist_cnn network and loop in plain PyTorch.", subset=True)
peer.limit_blas_threads(ARGS.threads)

_t_start = time.perf_counter()
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
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


if __name__ == "__main__":
    peer.run(ARGS, "mnist_cnn", MnistCnn, (1, 28, 28), _t_start, _t_imported)
