#!/usr/bin/python3
"""Checks that a model file NetGen wrote for mnist_cnn loads into PyTorch and evaluates there as in NetGen (issue 12:
"NetGen's files load into PyTorch"). A manual check: python3-torch is not on the CI machines. See README.md here.

usage: /usr/bin/python3 check_netgen_file.py FILE [--data DIR] [--netgen CMD | --no-netgen]
  FILE         a safetensors file of mnist_cnn, e.g. from
               dotnet run -c Release --project src/Mnist -- train --net mnist_cnn --epochs 1 --train-images 3000 --save FILE
  --data DIR   the MNIST IDX files (default: data/mnist of the repository)
  --netgen CMD how to start netgen-mnist (default: "dotnet run -c Release --project src/Mnist --"); the script appends
               "eval --net mnist_cnn --load FILE --data DIR"
  --no-netgen  only the PyTorch side

1. Reads FILE with our safetensors reader (safetensors_io.py; the file as safetensors.torch.load_file would give it).
2. Requires every key of MnistCnn's state_dict in it, F32, with PyTorch's shape; lists the other tensors (NetGen keeps
   Adam's state and counters beside the weights) and loads with model.load_state_dict(..., strict=False), requiring
   no missing key.
3. Evaluates all 10,000 test images in eval mode (pixel / 255) and prints the accuracy line as netgen-mnist prints it.
4. Runs netgen-mnist eval on the same file and requires the same accuracy line and the same confusion matrix.
Exit code 0 if all holds, 1 otherwise.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import shlex  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ here: the test project copies this folder beside its assembly
import safetensors_io  # noqa: E402
from make_fixtures import ROOT, MnistCnn, mnist  # noqa: E402

TEST_COUNT = 10_000
CHUNK = 500


def accuracy_line(correct, total):
    """EvaluationResult.ToString of the runtime."""
    return f"Test accuracy: {100.0 * correct / total:.2f}% ({correct}/{total})"


def load_into_pytorch(path):
    metadata, tensors = safetensors_io.load(path)
    print(f"{path}: {len(tensors)} tensors; metadata: " + ", ".join(sorted(metadata or {})))
    model = MnistCnn()
    expected = model.state_dict()
    problems = []
    for name, t in expected.items():
        if name not in tensors:
            problems.append(f"{name} is missing")
        elif tensors[name].dtype.newbyteorder("=") != np.float32 or list(tensors[name].shape) != list(t.shape):
            problems.append(f"{name}: {tensors[name].dtype} {list(tensors[name].shape)}, PyTorch wants float32 {list(t.shape)}")
        else:
            print(f"  {name} {list(t.shape)} F32: present")
    if problems:
        sys.exit("error: the file does not hold MnistCnn's state_dict:\n  " + "\n  ".join(problems))
    result = model.load_state_dict({name: torch.from_numpy(t.astype(t.dtype.newbyteorder("="))) for name, t in tensors.items()},
                                   strict=False)
    if result.missing_keys:
        sys.exit(f"error: load_state_dict missed {result.missing_keys}")
    # With strict=False torch 1.13 leaves result.unexpected_keys empty (it collects them only when strict): name them here.
    extra = [name for name in tensors if name not in expected]
    print(f"load_state_dict(strict=False): no missing keys; {len(extra)} other tensors (not in PyTorch's state_dict):")
    for name in extra:
        t = tensors[name]
        print(f"  {name} {list(t.shape)} {safetensors_io.DTYPES[t.dtype.newbyteorder('=')]}")
    return model


def evaluate(model, data):
    images, labels = mnist(data, "t10k", TEST_COUNT)
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(images[i:i + CHUNK]) for i in range(0, TEST_COUNT, CHUNK)])
    predictions = logits.argmax(dim=1).numpy()
    confusion = np.zeros((10, 10), dtype=np.int64)
    np.add.at(confusion, (labels.numpy(), predictions), 1)
    return int(np.trace(confusion)), confusion


def run_netgen(command, path, data):
    args = shlex.split(command) + ["eval", "--net", "mnist_cnn", "--load", path, "--data", data]
    print("> " + " ".join(shlex.quote(a) for a in args))
    env = dict(os.environ, CI="true")  # plain lines
    run = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"error: netgen-mnist exited with {run.returncode}\n{run.stdout}{run.stderr}")
    lines = [line.rstrip() for line in run.stdout.splitlines() if line.strip()]
    line = next((line for line in reversed(lines) if line.startswith("Test accuracy:")), None)
    start = lines.index("Confusion matrix (rows: label, columns: predicted):")
    confusion = np.array([[int(n) for n in row.split()[1:]] for row in lines[start + 2:start + 12]], dtype=np.int64)
    return line, confusion


def main():
    parser = argparse.ArgumentParser(description="Loads a NetGen mnist_cnn file into PyTorch and compares the accuracy.")
    parser.add_argument("file")
    parser.add_argument("--data", default=os.path.join(ROOT, "data", "mnist"))
    parser.add_argument("--netgen", default=f"dotnet run -c Release --project {os.path.join(ROOT, 'src', 'Mnist')} --")
    parser.add_argument("--no-netgen", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    path = os.path.abspath(args.file)
    data = os.path.abspath(args.data)
    print(f"torch {torch.__version__}, numpy {np.__version__}")

    model = load_into_pytorch(path)
    correct, confusion = evaluate(model, data)
    pytorch_line = accuracy_line(correct, TEST_COUNT)
    print(f"PyTorch:    {pytorch_line}")
    if args.no_netgen:
        return 0
    netgen_line, netgen_confusion = run_netgen(args.netgen, path, data)
    print(f"netgen-mnist: {netgen_line}")
    if netgen_line != pytorch_line:
        print("FAIL: the accuracy lines differ")
        return 1
    if not np.array_equal(confusion, netgen_confusion):
        print(f"FAIL: the confusion matrices differ\nPyTorch:\n{confusion}\nnetgen-mnist:\n{netgen_confusion}")
        return 1
    print("OK: same accuracy line and the same confusion matrix")
    return 0


if __name__ == "__main__":
    sys.exit(main())
