#!/usr/bin/python3
"""Makes the ONNX fixtures of this folder: models that PyTorch itself trained and exported with torch.onnx.export,
and what PyTorch predicts with them on the whole MNIST test set, so that NetGen's OnnxImport can be checked to load a
real PyTorch ONNX file and predict exactly what PyTorch predicts (issue 14). See README.md in this folder.

usage: /usr/bin/python3 make_onnx.py [--data DIR] [--out DIR]

Writes, for each of
  mnist         nets.json's mnist: Linear 784-128 ReLU, Linear 128-64 ReLU, Linear 64-10 (Gemm nodes, transB=1)
  mnist_matmul  the same module computing x @ W.t() + b, so the export holds MatMul with a [in, out] weight and Add
  cnn_bn        images.nets.json's cnn_bn (the CnnBn of make_fixtures.py); the eval-mode export folds bn1 and bn2 into
                the convs before them (do_constant_folding=True), bn3 stays a BatchNormalization
NAME.onnx (torch.onnx.export in eval mode, opset 17, dynamic batch axis, constant folding) and
NAME.onnx-predictions.safetensors (predictions [10000] I64, margins [10000] F32: the top-2 logit margins, correct [] I64);
and smooth.onnx, features.nets.json's smooth (GELU's tanh form, Softplus) as initialized, with its outputs on 16 random
rows in smooth.onnx-outputs.safetensors (inputs [16, 5], outputs [16, 3]).

Deterministic as make_fixtures.py: one thread, torch.use_deterministic_algorithms(True), seed 1234, 600 Adam steps of
32 images (the first 19,200 training images, in file order), lr 0.001.
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import make_fixtures  # noqa: E402
from make_fixtures import CnnBn, Mnist, SEED, adam_steps, mnist  # noqa: E402
from make_trained import results  # noqa: E402

STEPS = 600
BATCH = 32
LR = 0.001
TEST_COUNT = 10_000
CHUNK = 500
OPSET = 17


class MnistMatMul(Mnist):
    """The same weights, computed as x @ W.t() + b: torch.onnx.export writes MatMul (weight transposed to [in, out]
    by constant folding) and Add."""

    def forward(self, x):
        def dense(layer, x):
            return x @ layer.weight.t() + layer.bias
        return dense(self.fc3, torch.relu(dense(self.fc2, torch.relu(dense(self.fc1, x)))))


class Smooth(nn.Module):
    """features.nets.json's smooth: 5-7 GELU (tanh form), 7-4 Softplus, 4-3 Softplus: how torch.onnx.export writes
    GELU(approximate="tanh") (Mul, Pow-free x * x * x, Add, Tanh, Constant nodes) and Softplus."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 7)
        self.fc2 = nn.Linear(7, 4)
        self.fc3 = nn.Linear(4, 3)

    def forward(self, x):
        x = nn.functional.gelu(self.fc1(x), approximate="tanh")
        return nn.functional.softplus(self.fc3(nn.functional.softplus(self.fc2(x))))


def make_smooth(out):
    """smooth as initialized (seed 1234), exported, with its eval-mode outputs on 16 random rows."""
    print("smooth")
    torch.manual_seed(SEED)
    model = Smooth()
    inputs = torch.randn(16, 5)
    outputs = evaluate(model, inputs)
    path = os.path.join(out, "smooth.onnx")
    export(model, inputs[:1], path)
    describe(path)
    make_fixtures.write(out, "smooth.onnx-outputs.safetensors", [("inputs", inputs.numpy()), ("outputs", outputs)])


def train(model, flat, data):
    train_x, train_y = mnist(data, "train", STEPS * BATCH)
    if flat:
        train_x = train_x.reshape(len(train_x), 784)
    loss = adam_steps(model, train_x, train_y, STEPS, BATCH, LR)
    print(f"  after {STEPS} steps: loss {loss.item():.4f}")
    return model


def evaluate(model, images):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(images[i:i + CHUNK]) for i in range(0, len(images), CHUNK)]).numpy()


def export(model, example, path):
    model.eval()
    torch.onnx.export(model, example, path, opset_version=OPSET, do_constant_folding=True,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    print(f"  wrote {path} ({os.path.getsize(path):,} bytes)")


def describe(path):
    import onnx
    model = onnx.load(path)
    onnx.checker.check_model(model)
    inits = {t.name: list(t.dims) for t in model.graph.initializer}
    for node in model.graph.node:
        print(f"    {node.op_type} {node.name}: {list(node.input)} -> {list(node.output)}")
    print(f"    initializers: {inits}")


def make(name, model, flat, data, out):
    print(name)
    train(model, flat, data)
    test_x, test_y = mnist(data, "t10k", TEST_COUNT)
    if flat:
        test_x = test_x.reshape(TEST_COUNT, 784)
    logits = evaluate(model, test_x)
    predictions, margins, correct = results(logits, test_y.numpy())
    print(f"  PyTorch: Test accuracy: {100.0 * correct / TEST_COUNT:.2f}% ({correct}/{TEST_COUNT}); "
          f"smallest top-2 margin {margins.min():.6g} (image {int(margins.argmin())})")
    path = os.path.join(out, f"{name}.onnx")
    export(model, test_x[:1], path)
    describe(path)
    make_fixtures.write(out, f"{name}.onnx-predictions.safetensors", [
        ("predictions", predictions), ("margins", margins), ("correct", np.array(correct, dtype=np.int64))])


def main():
    parser = argparse.ArgumentParser(description="Trains mnist and cnn_bn in PyTorch briefly and exports them to ONNX.")
    parser.add_argument("--data", default=os.path.join(make_fixtures.ROOT, "data", "mnist"))
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)
    print(f"torch {torch.__version__}, numpy {np.__version__}, seed {SEED}")
    torch.manual_seed(SEED)
    make("mnist", Mnist(), True, args.data, args.out)
    torch.manual_seed(SEED)
    make("mnist_matmul", MnistMatMul(), True, args.data, args.out)
    torch.manual_seed(SEED)
    make("cnn_bn", CnnBn(), False, args.data, args.out)
    make_smooth(args.out)


if __name__ == "__main__":
    main()
