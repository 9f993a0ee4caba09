"""What the PyTorch peers of netgen-mnist (mnist_fast.py, mnist_cnn.py) share, so that each peer is its
network and nothing else: the arguments, the MNIST files as tensors, the training loop, the evaluation of
the test set and the output lines.

The whole data set is decoded once into float tensors scaled to [0, 1]; each step indexes a batch out of
them (no DataLoader, no per-image transform); Adam (lr 0.001, betas 0.9/0.999, eps 1e-8), cross-entropy,
a reshuffle per epoch, the last batch of an epoch smaller.

Output: one line per epoch and the test accuracy in netgen-mnist's format, so that one parser reads
both, then a machine-readable last line:
  RESULT impl=pytorch net=mnist threads=1 blas_threads=1 epochs=5 seed=0 train_images=60000 acc=97.48
         import_s=.. load_s=.. train_s=.. eval_s=.. [eval_whole_s=.. eval_chunks_s=..] total_s=..
import_s is the time to import torch; total_s is load + train + evaluation (from after the import).
The whole-process wall time (interpreter start, import, everything) is for the caller to measure.

torch is imported only inside the functions: a peer calls parse_args and limit_blas_threads before it
imports torch.
"""
import argparse
import gzip
import os
import struct
import sys
import time


def parse_args(description, subset=False):
    """The peers' arguments; subset adds --train-images and the choice of evaluation (--eval, --eval-chunk)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("data", help="folder with the four MNIST IDX files (.gz or plain)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads and OpenBLAS threads (default 1)")
    parser.add_argument("--epochs", type=int, default=5, help="passes over the training set (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed: initialization and shuffling (default 0)")
    parser.add_argument("--batch-size", type=int, default=32, help="images per optimizer step (default 32)")
    if subset:
        parser.add_argument("--train-images", type=int, default=None, help="train on the first N training images only (default: all)")
        parser.add_argument("--eval", choices=("both", "whole", "chunks"), default="both",
                            help="evaluate the test set in one batch, in chunks, or both, each timed (default both)")
        parser.add_argument("--eval-chunk", type=int, default=1000, help="images per evaluation chunk (default 1000)")
    else:
        parser.set_defaults(train_images=None, eval="whole", eval_chunk=1000)
    args = parser.parse_args()
    args.eval_lines = subset  # print each evaluation's own line and time
    if args.threads < 1 or args.epochs < 1 or args.batch_size < 1 or args.eval_chunk < 1:
        parser.error("--threads, --epochs, --batch-size and --eval-chunk must be at least 1")
    if args.train_images is not None and args.train_images < 1:
        parser.error("--train-images must be at least 1")
    return args


def limit_blas_threads(threads):
    # Debian's torch is built with BLAS_INFO=generic: it calls whatever libblas.so.3 is installed
    # (OpenBLAS with libopenblas0-pthread) and torch.set_num_threads does not reach that library's own
    # thread pool, which starts one thread per core. Without this, "1 thread" uses more than one core.
    # It has to be set before torch loads the library; an explicit setting in the environment wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))


def read_idx(directory, name):
    """Reads one IDX file (name without .gz) as a numpy array of its dimensions."""
    import numpy as np
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


def images(directory, name, shape, limit=None):
    """The images as float32 [N, *shape], pixel / 255."""
    import numpy as np
    import torch
    x = read_idx(directory, name)[:limit]
    return torch.from_numpy(x.reshape(x.shape[0], *shape).astype(np.float32) / 255.0)


def labels(directory, name, limit=None):
    import numpy as np
    import torch
    return torch.from_numpy(read_idx(directory, name)[:limit].astype(np.int64))


def correct_count(model, x, y, chunk=None):
    """Right answers on (x, y): in one batch, or in batches of chunk images."""
    import torch
    with torch.no_grad():
        if chunk is None:
            return int((model(x).argmax(1) == y).sum().item())
        return sum(int((model(x[i:i + chunk]).argmax(1) == y[i:i + chunk]).sum().item())
                   for i in range(0, x.shape[0], chunk))


def run(args, net, make_model, shape, t_start, t_imported):
    """Loads MNIST as [N, *shape] images, makes the model (after the seed), trains, evaluates, prints."""
    import torch
    import torch.nn as nn
    import torch.optim as optim
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    t0 = time.perf_counter()
    x_train = images(args.data, "train-images-idx3-ubyte", shape, args.train_images)
    y_train = labels(args.data, "train-labels-idx1-ubyte", args.train_images)
    x_test = images(args.data, "t10k-images-idx3-ubyte", shape)
    y_test = labels(args.data, "t10k-labels-idx1-ubyte")
    model = make_model()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    t1 = time.perf_counter()
    n = x_train.shape[0]
    print(f"Training pytorch {torch.__version__} {net} ({sum(p.numel() for p in model.parameters()):,} parameters) "
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
    times, counts = {}, {}
    for way in (("chunks", "whole") if args.eval == "both" else (args.eval,)):
        start = time.perf_counter()
        counts[way] = correct_count(model, x_test, y_test, args.eval_chunk if way == "chunks" else None)
        times[way] = time.perf_counter() - start
        if args.eval_lines:
            label = f"in chunks of {args.eval_chunk}" if way == "chunks" else "in one batch"
            print(f"Evaluation {label}: {times[way]:.3f} s, {counts[way]}/{total} right", flush=True)
    t3 = time.perf_counter()
    if len(set(counts.values())) > 1:
        print(f"warning: the evaluations disagree: {counts}", file=sys.stderr)
    used = "whole" if args.eval == "whole" else "chunks"
    acc = 100.0 * counts[used] / total
    print(f"Test accuracy: {acc:.2f}% ({counts[used]}/{total})")
    # Each way's time, for the peers that can choose it.
    ways = "".join(f" eval_{way}_s={times[way]:.3f}" if way in times else f" eval_{way}_s=-"
                   for way in ("whole", "chunks")) if args.eval_lines else ""
    print(f"RESULT impl=pytorch net={net} threads={args.threads} blas_threads={os.environ['OPENBLAS_NUM_THREADS']} "
          f"epochs={args.epochs} seed={args.seed} train_images={n} acc={acc:.2f} "
          f"import_s={t_imported - t_start:.3f} load_s={t1 - t0:.3f} train_s={t2 - t1:.3f} "
          f"eval_s={times[used]:.3f}{ways} total_s={t3 - t0:.3f}", flush=True)
