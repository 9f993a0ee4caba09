#!/usr/bin/python3
"""Makes the PyTorch fixtures of this folder: what python3-torch itself computes for the convolutional
networks of nets.json, so that NetGen's generated code can be checked against PyTorch, not against our
reading of its documentation. See README.md in this folder for what each file holds.

usage: /usr/bin/python3 make_fixtures.py [--data DIR] [--out DIR] [--net NAME ...]
  --data DIR  the four MNIST IDX files, .gz or plain (default: data/mnist of the repository)
  --out DIR   where to write (default: this script's folder)
  --net NAME  only this network (repeatable; default: all)

Deterministic: one thread (torch and OpenBLAS), torch.use_deterministic_algorithms(True), a fixed
seed, and files written byte for byte the same way; two runs on one machine give identical files.
After writing, it reads every file back with its own safetensors reader (check_fixtures.py) and checks
names, shapes, dtypes and values.
"""
import os

# One thread, before torch loads OpenBLAS (Debian's torch calls it through libblas.so.3 and
# torch.set_num_threads does not reach OpenBLAS's own pool).
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import gzip  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ here: the test project copies this folder beside its assembly
import check_fixtures  # noqa: E402
import safetensors_io  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
SEED = 1234
LR = 0.001
TEST_IMAGES = 100
BATCH = 32
METADATA = {"format": "pt"}  # what safetensors.torch.save_file writes


class Mnist(nn.Module):
    """nets.json's mnist, the seed's network: 784-128 (ReLU) - 64 (ReLU) - 10."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


def adam_steps(model, train_x, train_y, steps, batch, lr, report=None):
    """Trains with Adam (betas 0.9/0.999, eps 1e-8) on consecutive batches of train_x/train_y, once, in order;
    report(step, loss) is called after every step when given. Returns the last loss."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    model.train()
    for step in range(steps):
        x, y = train_x[step * batch:(step + 1) * batch], train_y[step * batch:(step + 1) * batch]
        optimizer.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        if report is not None:
            report(step, loss)
    return loss


class MnistCnn(nn.Module):
    """nets.json's mnist_cnn: conv 16 3x3 pad 1, ReLU, max-pool 2, conv 32 3x3 pad 1, ReLU, max-pool 2,
    flatten, dense 128 ReLU, dense 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)   # [B, 16, 14, 14]
        x = nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)   # [B, 32, 7, 7]
        x = torch.flatten(x, 1)                                       # [B, 1568], channel-major (c, h, w)
        return self.fc2(torch.relu(self.fc1(x)))


class CnnBn(nn.Module):
    """nets.json's cnn_bn: conv 8 3x3 pad 1 (no bias), batch norm, ReLU, avg-pool 2, conv 16 3x3 stride 2
    pad 1, batch norm, ReLU, max-pool 2, flatten, dense 32, batch norm, ReLU, dense 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc1 = nn.Linear(16 * 3 * 3, 32)
        self.bn3 = nn.BatchNorm1d(32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = nn.functional.avg_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)  # [B, 8, 14, 14]
        x = nn.functional.max_pool2d(torch.relu(self.bn2(self.conv2(x))), 2)  # [B, 16, 7, 7] -> [B, 16, 3, 3]
        x = torch.flatten(x, 1)                                                # [B, 144]
        return self.fc2(torch.relu(self.bn3(self.fc1(x))))


NETWORKS = {"mnist_cnn": MnistCnn, "cnn_bn": CnnBn}


def read_idx(directory, name):
    """One IDX file of unsigned bytes (name without .gz) as a numpy array of its dimensions."""
    path = os.path.join(directory, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            data = f.read()
    elif os.path.exists(path):
        with open(path, "rb") as f:
            data = f.read()
    else:
        sys.exit(f"error: neither {path}.gz nor {path} exists")
    if len(data) < 4 or data[:3] != b"\0\0\x08":
        sys.exit(f"error: {path}: not an IDX file of unsigned bytes")
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim, count=int(np.prod(dims))).reshape(dims)


def mnist(directory, split, count):
    """The first count images as float32 [count, 1, 28, 28] = pixel / 255 (as torchvision's ToTensor and
    NetGen's ImageDataset), and their labels as int64 [count]."""
    x = read_idx(directory, f"{split}-images-idx3-ubyte")[:count]
    y = read_idx(directory, f"{split}-labels-idx1-ubyte")[:count]
    images = torch.from_numpy(x.astype(np.float32)).div_(255).reshape(count, 1, 28, 28)
    return images, torch.from_numpy(y.astype(np.int64))


def numpy_state(module):
    """The state_dict as (name, numpy array) pairs in PyTorch's order."""
    return [(name, t.detach().cpu().numpy().copy()) for name, t in module.state_dict().items()]


def write(out, file_name, tensors):
    path = os.path.join(out, file_name)
    size = safetensors_io.save(path, tensors, METADATA)
    print(f"wrote {path} ({size:,} bytes): " + ", ".join(
        f"{name} {list(a.shape)} {safetensors_io.DTYPES[a.dtype]}" for name, a in tensors))
    return path


def make(net, data, out):
    torch.manual_seed(SEED)
    model = NETWORKS[net]()
    initial = {name: t.clone() for name, t in model.state_dict().items()}
    write(out, f"{net}.initial.safetensors", numpy_state(model))

    # Inference: eval mode (batch norm uses its running statistics) on the first test images.
    test_x, test_y = mnist(data, "t10k", TEST_IMAGES)
    model.eval()
    with torch.no_grad():
        logits = model(test_x)
    write(out, f"{net}.logits.safetensors", [
        ("inputs", test_x.numpy()), ("logits", logits.numpy()), ("labels", test_y.numpy())])

    # One training step from the initial state: train mode (batch norm uses the batch's statistics and
    # updates its running ones), mean cross-entropy, one Adam step.
    model.load_state_dict(initial)
    model.train()
    train_x, train_y = mnist(data, "train", BATCH)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)
    optimizer.zero_grad(set_to_none=True)
    train_logits = model(train_x)
    loss = nn.functional.cross_entropy(train_logits, train_y)
    loss.backward()
    grads = [(f"grad.{name}", p.grad.detach().numpy().copy()) for name, p in model.named_parameters()]
    optimizer.step()
    # The stepped model in eval mode on the same batch: batch norm with running statistics that are
    # not 0 and 1 and with a weight and bias that are not 1 and 0.
    model.eval()
    with torch.no_grad():
        eval_logits = model(train_x)
    write(out, f"{net}.step.safetensors", [
        ("inputs", train_x.numpy()), ("labels", train_y.numpy()),
        ("logits", train_logits.detach().numpy()), ("loss", loss.detach().numpy()),
        *numpy_state(model), *grads, ("eval_logits", eval_logits.numpy())])


def main():
    parser = argparse.ArgumentParser(description="Makes the PyTorch fixtures of NetGen's convolutional networks.")
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"), help="folder of the MNIST IDX files")
    parser.add_argument("--out", default=HERE, help="output folder (default: this script's folder)")
    parser.add_argument("--net", action="append", choices=sorted(NETWORKS), help="only this network (repeatable)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    print(f"torch {torch.__version__}, numpy {np.__version__}, seed {SEED}, "
          f"{torch.get_num_threads()} thread, deterministic algorithms {torch.are_deterministic_algorithms_enabled()}")
    nets = args.net or list(NETWORKS)
    for net in nets:
        make(net, args.data, args.out)
    check_fixtures.check(args.out, nets, models=NETWORKS)
    print("read back and checked: " + ", ".join(nets))


if __name__ == "__main__":
    main()
