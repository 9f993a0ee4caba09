#!/usr/bin/python3
"""Checks that a weights-only file NetGen wrote (netgen-mnist export --weights-only, ModelFile.SaveWeights) is exactly
the state_dict of the PyTorch module: model.load_state_dict(tensors, strict=True) takes it (issue 14, item 3).
.ci/python-check.sh runs it on `export --weights-only` of mnist and mnist_cnn (installing python3-torch when missing);
see README.md here.

usage: /usr/bin/python3 check_weights_only.py NET FILE
  NET   mnist (nn.Linear fc1 784->128, fc2 128->64, fc3 64->10), mnist_cnn or cnn_bn (make_fixtures.py's modules)
  FILE  the weights-only safetensors file
Exit code 0 when strict loading succeeds and every tensor is used, 1 otherwise.
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from make_fixtures import NETWORKS, Mnist  # noqa: E402


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 1
    net, path = sys.argv[1], sys.argv[2]
    module = Mnist() if net == "mnist" else NETWORKS[net]()
    _, tensors = safetensors_io.load(path)
    state = {name: torch.from_numpy(value.copy()) for name, value in tensors.items()}
    # strict=True alone misses keys below a parameter's name ("fc1.weight.exp_avg": PyTorch checks only the part after the
    # module's prefix up to the next dot), so the key sets are compared too.
    expected = set(module.state_dict().keys())
    if set(state) != expected:
        print(f"{path}: not {net}'s state_dict: extra {sorted(set(state) - expected)}, missing {sorted(expected - set(state))}")
        return 1
    module.load_state_dict(state, strict=True)
    print(f"{path}: load_state_dict(strict=True) took all {len(state)} tensors of {net}, exactly its state_dict's keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
