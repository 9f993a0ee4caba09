"""The PyTorch peer of NetGen's tabular examples: the networks and training runs below on data/breast_cancer and
data/diabetes (train.csv, validation.csv, test.csv, written by data/make_tabular.py), over several seeds.

    /usr/bin/python3 bench/pytorch/tabular.py                  # seeds 0..4, both data sets
    /usr/bin/python3 bench/pytorch/tabular.py --seeds 1 --only diabetes

Common to both:
- Features standardized with the mean and population standard deviation (ddof=0; a deviation of 0 becomes 1)
  of train.csv only (computed in float64, applied in float32), the same transform for all three files.
- PyTorch's default initialization of nn.Linear (kaiming_uniform_(a=sqrt(5)) weights, uniform(+-1/sqrt(fan_in))
  biases), torch.manual_seed(seed) right before the network is built; the same global generator then draws
  each epoch's shuffle (torch.randperm). Batches of 32 in that order, the last one smaller.
- Adam (betas 0.9/0.999, eps 1e-8, no weight decay).
- After each epoch, in eval mode and without gradients: the loss over all of validation.csv (the mean over its
  rows). Early stopping: an epoch improves when its validation loss < best - min_delta (min_delta 0: strictly
  lower); after `patience` epochs in a row without improvement training stops, and the weights of the best
  epoch are restored and evaluated.

breast_cancer: Linear(30,32) ReLU Linear(32,16) ReLU Linear(16,2), CrossEntropyLoss, Adam lr 0.001, at most
200 epochs, patience 20. Classes in sorted order of their names: benign 0, malignant 1.
diabetes: Linear(10,32) ReLU Linear(32,1), MSELoss on the raw target (not scaled), Adam lr 0.01, at most 500
epochs, ReduceLROnPlateau(factor 0.5, patience 10; PyTorch's other defaults: mode min, threshold 1e-4 rel,
cooldown 0, min_lr 0) stepped with the validation loss after each epoch, patience 40.
R^2 is sklearn's r2_score: 1 - sum((y - p)^2) / sum((y - mean(y))^2), mean(y) of the set scored.

Output: one line per seed, then the mean and standard deviation over the seeds (sample std, n-1) of each
metric, then the total wall time. One thread (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1).
"""
import argparse
import csv
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before torch loads libblas (see peer.py)
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.normpath(os.path.join(HERE, "..", "..", "data"))


def read_csv(path, target):
    """Features (float32 rows) and the last column as text; checks the header's last name."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    if header[-1] != target:
        raise SystemExit(f"{path}: last column is {header[-1]!r}, expected {target!r}")
    X = np.array([[float(v) for v in r[:-1]] for r in body], dtype=np.float32)
    y = [r[-1] for r in body]
    return X, y


def load(folder, target, classification):
    parts = {}
    for part in ("train", "validation", "test"):
        parts[part] = read_csv(os.path.join(folder, part + ".csv"), target)
    train_X = parts["train"][0].astype(np.float64)
    mean = train_X.mean(axis=0)
    std = train_X.std(axis=0, ddof=0)
    std[std == 0] = 1.0
    mean, std = mean.astype(np.float32), std.astype(np.float32)
    classes = sorted(set(parts["train"][1])) if classification else None
    out = {}
    for part, (X, y) in parts.items():
        Xs = torch.from_numpy((X - mean) / std)
        if classification:
            index = {c: i for i, c in enumerate(classes)}
            ys = torch.tensor([index[c] for c in y], dtype=torch.long)
        else:
            ys = torch.tensor([float(v) for v in y], dtype=torch.float32).unsqueeze(1)
        out[part] = (Xs, ys)
    return out, classes


def build(spec):
    layers = []
    sizes = spec["sizes"]
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def evaluate(model, loss_fn, X, y, classification):
    model.eval()
    with torch.no_grad():
        out = model(X)
        loss = loss_fn(out, y).item()
        if classification:
            return {"loss": loss, "acc": (out.argmax(dim=1) == y).double().mean().item()}
        p, t = out.double().squeeze(1), y.double().squeeze(1)
        mse = torch.mean((p - t) ** 2).item()
        mae = torch.mean(torch.abs(p - t)).item()
        r2 = 1.0 - torch.sum((t - p) ** 2).item() / torch.sum((t - t.mean()) ** 2).item()
        return {"loss": loss, "mse": mse, "mae": mae, "r2": r2}


def run(spec, data, seed):
    torch.manual_seed(seed)
    model = build(spec)
    classification = spec["classification"]
    loss_fn = nn.CrossEntropyLoss() if classification else nn.MSELoss()
    opt = torch.optim.Adam(model.parameters(), lr=spec["lr"])
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=10) \
        if spec["plateau"] else None
    Xtr, ytr = data["train"]
    n = Xtr.shape[0]
    best_loss, best_epoch, best_state, wait, epochs = float("inf"), 0, None, 0, 0
    for epoch in range(1, spec["epochs"] + 1):
        model.train()
        perm = torch.randperm(n)
        for start in range(0, n, spec["batch"]):
            idx = perm[start:start + spec["batch"]]
            opt.zero_grad()
            loss = loss_fn(model(Xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        epochs = epoch
        val_loss = evaluate(model, loss_fn, *data["validation"], classification)["loss"]
        if sched is not None:
            sched.step(val_loss)
        if val_loss < best_loss - spec["min_delta"]:
            best_loss, best_epoch, wait = val_loss, epoch, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        else:
            wait += 1
            if wait >= spec["patience"]:
                break
    model.load_state_dict(best_state)
    val = evaluate(model, loss_fn, *data["validation"], classification)
    test = evaluate(model, loss_fn, *data["test"], classification)
    return {"best_epoch": best_epoch, "epochs": epochs, "val": val, "test": test,
            "final_lr": opt.param_groups[0]["lr"]}


SPECS = {
    "breast_cancer": {"target": "diagnosis", "classification": True, "sizes": [30, 32, 16, 2], "lr": 0.001,
                      "batch": 32, "epochs": 200, "patience": 20, "min_delta": 0.0, "plateau": False},
    "diabetes": {"target": "progression", "classification": False, "sizes": [10, 32, 1], "lr": 0.01,
                 "batch": 32, "epochs": 500, "patience": 40, "min_delta": 0.0, "plateau": True},
}


def metrics(name, r):
    """(label, value, format) of one run's reported metrics."""
    if SPECS[name]["classification"]:
        return [("best_epoch", r["best_epoch"], "{:.0f}"), ("epochs_run", r["epochs"], "{:.0f}"),
                ("val_loss", r["val"]["loss"], "{:.4f}"), ("val_acc", 100 * r["val"]["acc"], "{:.2f}%"),
                ("test_loss", r["test"]["loss"], "{:.4f}"), ("test_acc", 100 * r["test"]["acc"], "{:.2f}%")]
    return [("best_epoch", r["best_epoch"], "{:.0f}"), ("epochs_run", r["epochs"], "{:.0f}"),
            ("final_lr", r["final_lr"], "{:.6g}"),
            ("val_mse", r["val"]["mse"], "{:.1f}"), ("val_mae", r["val"]["mae"], "{:.2f}"),
            ("val_r2", r["val"]["r2"], "{:.4f}"),
            ("test_mse", r["test"]["mse"], "{:.1f}"), ("test_mae", r["test"]["mae"], "{:.2f}"),
            ("test_r2", r["test"]["r2"], "{:.4f}")]


def main():
    parser = argparse.ArgumentParser(description="PyTorch peer of NetGen's tabular examples")
    parser.add_argument("--data", default=DEFAULT_DATA, help=f"folder holding breast_cancer/ and diabetes/ (default {DEFAULT_DATA})")
    parser.add_argument("--seeds", type=int, default=5, help="run seeds 0..N-1 (default 5)")
    parser.add_argument("--only", choices=sorted(SPECS), help="one data set only")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    print(f"torch {torch.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}, "
          f"threads {torch.get_num_threads()}, seeds 0..{args.seeds - 1}")
    for name in ([args.only] if args.only else list(SPECS)):
        spec = SPECS[name]
        t1 = time.perf_counter()
        data, classes = load(os.path.join(args.data, name), spec["target"], spec["classification"])
        sizes = ", ".join(f"{p} {data[p][0].shape[0]}" for p in ("train", "validation", "test"))
        print(f"\n{name}: {sizes} rows" + (f"; classes {', '.join(f'{c} {i}' for i, c in enumerate(classes))}" if classes else ""))
        rows = []
        for seed in range(args.seeds):
            ts = time.perf_counter()
            r = run(spec, data, seed)
            m = metrics(name, r)
            rows.append(m)
            print(f"  seed {seed}: " + "  ".join(f"{k} {f.format(v)}" for k, v, f in m)
                  + f"  ({time.perf_counter() - ts:.2f} s)")
        parts = []
        for j, (k, _, f) in enumerate(rows[0]):
            f = "{:.1f}" if f == "{:.0f}" else f  # epochs: a mean with a decimal
            vals = [float(row[j][1]) for row in rows]
            sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
            parts.append(f"{k} {f.format(statistics.fmean(vals))} +- {f.format(sd).rstrip('%')}")
        print("  mean +- std: " + "  ".join(parts) + f"  ({time.perf_counter() - t1:.2f} s)")
    print(f"\nTotal wall time {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
