#!/usr/bin/python3
"""Reads the fixtures of this folder back with safetensors_io.py's reader and checks them: the layout of
every file, each tensor's name, order, shape and dtype, and what their values must satisfy (PyTorch's
initialization bounds, batch norm's initial state, the loss from the logits, the last bias's gradient
and the Adam step from the gradients). Needs numpy only; make_fixtures.py also passes its PyTorch
modules, which recompute the stored logits from the stored states bit for bit.

usage: /usr/bin/python3 check_fixtures.py [DIR]   (default: this script's folder)
"""
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ here: the test project copies this folder beside its assembly
import safetensors_io  # noqa: E402

LR, BETA1, BETA2, EPS = 0.001, 0.9, 0.999, 1e-8
TEST_IMAGES, BATCH = 100, 32


def batch_norm(name, features):
    return [(f"{name}.weight", [features], "F32"), (f"{name}.bias", [features], "F32"),
            (f"{name}.running_mean", [features], "F32"), (f"{name}.running_var", [features], "F32"),
            (f"{name}.num_batches_tracked", [], "I64")]


# Every network's state_dict in PyTorch's order: (name, shape, dtype). Written out by hand, not taken
# from torch, so that a change of the modules shows here.
STATES = {
    "mnist_cnn": [
        ("conv1.weight", [16, 1, 3, 3], "F32"), ("conv1.bias", [16], "F32"),
        ("conv2.weight", [32, 16, 3, 3], "F32"), ("conv2.bias", [32], "F32"),
        ("fc1.weight", [128, 1568], "F32"), ("fc1.bias", [128], "F32"),
        ("fc2.weight", [10, 128], "F32"), ("fc2.bias", [10], "F32"),
    ],
    "cnn_bn": [
        ("conv1.weight", [8, 1, 3, 3], "F32"), *batch_norm("bn1", 8),
        ("conv2.weight", [16, 8, 3, 3], "F32"), ("conv2.bias", [16], "F32"), *batch_norm("bn2", 16),
        ("fc1.weight", [32, 144], "F32"), ("fc1.bias", [32], "F32"), *batch_norm("bn3", 32),
        ("fc2.weight", [10, 32], "F32"), ("fc2.bias", [10], "F32"),
    ],
}
BUFFERS = (".running_mean", ".running_var", ".num_batches_tracked")


def parameters(net):
    return [(n, s, d) for n, s, d in STATES[net] if not n.endswith(BUFFERS)]


def expected_layout(net, kind):
    if kind == "initial":
        return STATES[net]
    if kind == "logits":
        return [("inputs", [TEST_IMAGES, 1, 28, 28], "F32"), ("logits", [TEST_IMAGES, 10], "F32"),
                ("labels", [TEST_IMAGES], "I64")]
    return [("inputs", [BATCH, 1, 28, 28], "F32"), ("labels", [BATCH], "I64"),
            ("logits", [BATCH, 10], "F32"), ("loss", [], "F32"), *STATES[net],
            *[(f"grad.{n}", s, d) for n, s, d in parameters(net)],
            ("eval_logits", [BATCH, 10], "F32")]


def require(condition, message):
    if not condition:
        raise AssertionError(message)


def read(directory, net, kind):
    path = os.path.join(directory, f"{net}.{kind}.safetensors")
    metadata, tensors = safetensors_io.load(path)
    require(metadata == {"format": "pt"}, f"{path}: metadata {metadata}")
    layout = [(n, list(t.shape), safetensors_io.DTYPES[t.dtype.newbyteorder("=")]) for n, t in tensors.items()]
    require(layout == expected_layout(net, kind), f"{path}: tensors\n  {layout}\nexpected\n  {expected_layout(net, kind)}")
    for name, t in tensors.items():
        require(np.all(np.isfinite(t)), f"{path}: {name} is not finite")
    return path, {n: t.astype(t.dtype.newbyteorder("=")) for n, t in tensors.items()}


def cross_entropy(logits, labels):
    z = logits.astype(np.float64)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    loss = -log_p[np.arange(len(labels)), labels].mean()
    grad = p.copy()
    grad[np.arange(len(labels)), labels] -= 1
    return loss, grad / len(labels)


def check_images(path, x, y):
    require(np.array_equal(x, np.round(x * 255).astype(np.float32) / np.float32(255)) and x.min() >= 0 and x.max() <= 1,
            f"{path}: inputs are not pixel / 255")
    require(y.min() >= 0 and y.max() <= 9, f"{path}: labels outside 0-9")


def check_initial(path, net, state):
    for name, t in state.items():
        if name.endswith(".num_batches_tracked"):
            require(t == 0, f"{path}: {name} = {t}")
        elif name.endswith(".running_mean") or (name.startswith("bn") and name.endswith(".bias")):
            require(np.all(t == 0), f"{path}: {name} is not all 0")
        elif name.endswith(".running_var") or (name.startswith("bn") and name.endswith(".weight")):
            require(np.all(t == 1), f"{path}: {name} is not all 1")
        else:
            # Conv2d and Linear: kaiming_uniform(a=sqrt(5)) weights and biases, both U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
            weight = state[name.rsplit(".", 1)[0] + ".weight"]
            bound = 1 / math.sqrt(int(np.prod(weight.shape[1:])))
            require(np.abs(t).max() <= bound and np.abs(t).max() > 0.5 * bound, f"{path}: {name} outside U(-{bound:.4f}, {bound:.4f})")


def check_step(path, net, initial, step):
    check_images(path, step["inputs"], step["labels"])
    loss, dlogits = cross_entropy(step["logits"], step["labels"])
    require(abs(loss - float(step["loss"])) < 1e-5, f"{path}: loss {float(step['loss'])}, from its logits {loss}")
    last_bias = parameters(net)[-1][0]
    require(np.abs(dlogits.sum(axis=0) - step[f"grad.{last_bias}"]).max() < 1e-6, f"{path}: grad.{last_bias} is not the mean of softmax - onehot")
    for name, _, _ in parameters(net):
        # Adam's first step (Kingma & Ba; PyTorch's formula): m = (1 - b1) g, v = (1 - b2) g^2,
        # p -= lr / (1 - b1) * m / (sqrt(v) / sqrt(1 - b2) + eps), that is lr * g / (|g| + eps).
        g = step[f"grad.{name}"].astype(np.float64)
        m, v = (1 - BETA1) * g, (1 - BETA2) * g * g
        expected = initial[name] - LR / (1 - BETA1) * m / (np.sqrt(v) / math.sqrt(1 - BETA2) + EPS)
        require(np.abs(expected - step[name]).max() < 1e-7, f"{path}: {name} is not one Adam step from the initial state with grad.{name}")
        require(np.any(g != 0), f"{path}: grad.{name} is all 0")
    for name, _, _ in STATES[net]:
        if name.endswith(".num_batches_tracked"):
            require(step[name] == 1, f"{path}: {name} = {step[name]}")
        elif name.endswith(".running_var"):
            # 0.9 * 1 + 0.1 * (the batch's unbiased variance)
            require(np.all(step[name] >= 0.9), f"{path}: {name} below 0.9")
        elif name.endswith(".running_mean"):
            require(np.any(step[name] != 0), f"{path}: {name} did not move")


def check(directory, nets=None, models=None):
    """Checks the fixtures of nets (default: all) in directory; with models (name -> nn.Module class),
    also recomputes the stored eval-mode logits from the stored states and inputs with torch."""
    for net in nets or list(STATES):
        path, initial = read(directory, net, "initial")
        check_initial(path, net, initial)
        path, logits = read(directory, net, "logits")
        check_images(path, logits["inputs"], logits["labels"])
        path, step = read(directory, net, "step")
        check_step(path, net, initial, step)
        if models is not None:
            import torch
            model = models[net]()
            names = {n for n, _, _ in STATES[net]}
            for state, data, key in ((initial, logits, "logits"), (step, step, "eval_logits")):
                model.load_state_dict({n: torch.from_numpy(t.copy()) for n, t in state.items() if n in names})
                model.eval()
                with torch.no_grad():
                    again = model(torch.from_numpy(data["inputs"].copy())).numpy()
                require(np.array_equal(again, data[key]), f"{net}: {key} recomputed from the stored state differ")
            check_running_statistics(net, model, initial, step, torch)


def check_running_statistics(net, model, initial, step, torch):
    """The running statistics after the step are 0.1 x the batch mean and 0.9 + 0.1 x the batch's *unbiased*
    variance of each batch norm's input in the training forward pass (the fixture proves PyTorch's rule)."""
    inputs = {}
    hooks = [m.register_forward_hook(lambda m, args, out, name=name: inputs.__setitem__(name, args[0].detach()))
             for name, m in model.named_modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    model.load_state_dict({n: torch.from_numpy(t.copy()) for n, t in initial.items()})
    model.train()
    with torch.no_grad():
        model(torch.from_numpy(step["inputs"].copy()))
    for h in hooks:
        h.remove()
    for name, x in inputs.items():
        dims = [d for d in range(x.dim()) if d != 1]
        mean = x.double().mean(dims).numpy()
        unbiased = x.double().var(dims, unbiased=True).numpy()
        require(np.abs(0.1 * mean - step[f"{name}.running_mean"]).max() < 1e-6, f"{net}: {name}.running_mean")
        require(np.abs(0.9 + 0.1 * unbiased - step[f"{name}.running_var"]).max() < 1e-6, f"{net}: {name}.running_var is not 0.9 + 0.1 x the unbiased variance")


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else HERE
    check(directory)
    print(f"checked {', '.join(STATES)} in {directory}")


if __name__ == "__main__":
    main()
