#!/usr/bin/python3
"""Makes schedules.json and clip.json of this folder: what python3-torch's own learning-rate schedulers and
torch.nn.utils.clip_grad_norm_ output, so that NetGen's LearningRateSchedule classes and GradientClipping are
checked against PyTorch, not against our reading of its source (ScheduleTests, GradientClippingTests).

usage: /usr/bin/python3 make_schedules.py [--out DIR]
  --out DIR  where to write (default: this script's folder)

schedules.json: {"torch": version, "cases": [case, ...]}; a case is
  {"name", "kind", "settings": {PyTorch's argument names}, "base_lr", "rates": [...], "metrics": [...] (plateau only)}.
  rates[k] is the optimizer's lr before optimizer step k (k = 0 .. len - 1): the scheduler is made, then for each k
  the lr is read, optimizer.step() runs and scheduler.step() (ReduceLROnPlateau: scheduler.step(metrics[k])).
  A "sequential_lr" case has "schedules": [case settings with "kind"] and "milestones".
clip.json: {"torch": version, "cases": [case, ...]}; a case is {"name", "max_norm", "shapes", "gradients": [[...]],
  "total_norm", "clipped": [[...]]}: the float32 gradients of each parameter flattened in PyTorch's row-major order,
  what clip_grad_norm_(parameters, max_norm) returned (a float32 tensor, written as its float64 value) and the
  gradients after it.

Every number is written with Python's repr (json's float formatting), which reads back as the same float64 exactly;
float32 values are written as their exact float64 value. Deterministic: two runs give identical files.
"""
import argparse
import json
import math
import os
import sys
import warnings

import numpy as np
import torch
from torch.optim import lr_scheduler as lrs

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
BASE_LR = 0.1

# PyTorch warns about the deprecated step(epoch) that SequentialLR itself calls at a milestone; nothing to act on.
warnings.filterwarnings("ignore", category=UserWarning)


def optimizer(lr=BASE_LR):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def make(opt, spec):
    kind = spec["kind"]
    s = {k: v for k, v in spec.items() if k != "kind"}
    if kind == "step_lr":
        return lrs.StepLR(opt, **s)
    if kind == "exponential_lr":
        return lrs.ExponentialLR(opt, **s)
    if kind == "cosine_annealing_lr":
        return lrs.CosineAnnealingLR(opt, **s)
    if kind == "linear_lr":
        return lrs.LinearLR(opt, **s)
    raise ValueError(kind)


def record(opt, scheduler, n, metrics=None):
    rates = []
    for k in range(n):
        rates.append(float(opt.param_groups[0]["lr"]))
        opt.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[k])
    return rates


def simple(name, spec, n, base_lr=BASE_LR):
    opt = optimizer(base_lr)
    rates = record(opt, make(opt, spec), n)
    settings = {k: v for k, v in spec.items() if k != "kind"}
    return {"name": name, "kind": spec["kind"], "settings": settings, "base_lr": base_lr, "rates": rates}


def sequential(name, specs, milestones, n, base_lr=BASE_LR):
    opt = optimizer(base_lr)
    scheduler = lrs.SequentialLR(opt, [make(opt, s) for s in specs], milestones=milestones)
    rates = record(opt, scheduler, n)
    return {"name": name, "kind": "sequential_lr", "schedules": specs, "milestones": milestones,
            "base_lr": base_lr, "rates": rates}


def plateau_metrics():
    """A validation loss with falls, flat stretches (changes below the relative threshold 1e-4 count as flat),
    small real improvements inside a plateau, and a rise: 80 epochs."""
    m = []
    x = 2.0
    for _ in range(6):              # falling
        x *= 0.9
        m.append(x)
    for i in range(14):             # flat: improvements of 1e-5 relative (below 1e-4) and rises
        m.append(x * (1 - 1e-5 * (i % 3)) if i % 2 == 0 else x * (1 + 1e-3))
    x *= 0.99                       # a real improvement (1e-2 relative), then flat again
    m.append(x)
    for i in range(13):
        m.append(x + 1e-6 * i)
    for _ in range(5):              # falling again
        x *= 0.95
        m.append(x)
    for i in range(41):             # long plateau with noise, then a rise
        m.append(x * (1 + 2e-5 * math.sin(i)) + (0.01 * (i - 30) if i > 30 else 0.0))
    assert len(m) == 80
    return m


def plateau(name, settings, metrics, base_lr=BASE_LR):
    opt = optimizer(base_lr)
    rates = record(opt, lrs.ReduceLROnPlateau(opt, **settings), len(metrics), metrics)
    return {"name": name, "kind": "reduce_lr_on_plateau", "settings": settings, "base_lr": base_lr,
            "rates": rates, "metrics": metrics}


def schedule_cases():
    metrics = plateau_metrics()
    return [
        simple("step_lr(3, 0.5)", {"kind": "step_lr", "step_size": 3, "gamma": 0.5}, 20),
        simple("step_lr(4) default gamma", {"kind": "step_lr", "step_size": 4}, 20),
        simple("exponential_lr(0.9)", {"kind": "exponential_lr", "gamma": 0.9}, 40),
        simple("cosine_annealing_lr(10)", {"kind": "cosine_annealing_lr", "T_max": 10}, 35),
        simple("cosine_annealing_lr(7, 0.001)", {"kind": "cosine_annealing_lr", "T_max": 7, "eta_min": 0.001}, 30),
        simple("cosine_annealing_lr(45, 1e-5) lr 0.003", {"kind": "cosine_annealing_lr", "T_max": 45, "eta_min": 1e-5},
               50, base_lr=0.003),
        simple("linear_lr() defaults", {"kind": "linear_lr"}, 10),
        simple("linear_lr(0.01, 1, 12)", {"kind": "linear_lr", "start_factor": 0.01, "end_factor": 1.0, "total_iters": 12}, 16),
        simple("linear_lr(1, 0.1, 8)", {"kind": "linear_lr", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 8}, 12),
        sequential("warmup 5 then cosine 45, eta_min 0.001",
                   [{"kind": "linear_lr", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 5},
                    {"kind": "cosine_annealing_lr", "T_max": 45, "eta_min": 0.001}], [5], 50),
        sequential("warmup 5 then cosine 45, past the end",
                   [{"kind": "linear_lr", "start_factor": 1.0 / 3, "end_factor": 1.0, "total_iters": 5},
                    {"kind": "cosine_annealing_lr", "T_max": 45, "eta_min": 0.0}], [5], 60),
        sequential("warmup 3 (total_iters 6) then cosine 20",
                   [{"kind": "linear_lr", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 6},
                    {"kind": "cosine_annealing_lr", "T_max": 20, "eta_min": 0.002}], [3], 25),
        sequential("step, exponential, cosine at 4 and 9",
                   [{"kind": "step_lr", "step_size": 2, "gamma": 0.5},
                    {"kind": "exponential_lr", "gamma": 0.9},
                    {"kind": "cosine_annealing_lr", "T_max": 6, "eta_min": 0.01}], [4, 9], 20),
        sequential("linear second",
                   [{"kind": "exponential_lr", "gamma": 0.8},
                    {"kind": "linear_lr", "start_factor": 0.5, "end_factor": 1.0, "total_iters": 4}], [3], 12),
        plateau("reduce_lr_on_plateau() defaults", {}, metrics),
        plateau("reduce_lr_on_plateau(patience 2, cooldown 1, factor 0.5, min_lr 0.004)",
                {"patience": 2, "cooldown": 1, "factor": 0.5, "min_lr": 0.004}, metrics),
        plateau("reduce_lr_on_plateau(patience 0, cooldown 3, factor 0.3, threshold_mode abs, threshold 0.01)",
                {"patience": 0, "cooldown": 3, "factor": 0.3, "threshold_mode": "abs", "threshold": 0.01}, metrics),
        plateau("reduce_lr_on_plateau(mode max, patience 3)", {"mode": "max", "patience": 3}, metrics),
        plateau("reduce_lr_on_plateau(mode max, abs 0.001, patience 1, eps 0.002)",
                {"mode": "max", "threshold_mode": "abs", "threshold": 0.001, "patience": 1, "eps": 0.002}, metrics),
    ]


def clip_cases():
    rng = np.random.default_rng(20261130)
    sets = [
        ("three tensors", [(4, 3), (4,), (2, 5)], 1.0),
        ("one tensor", [(17,)], 0.05),
        ("conv-like", [(8, 1, 3, 3), (8,), (10, 72), (10,)], 3.0),
    ]
    cases = []
    for name, shapes, scale in sets:
        grads = [(rng.standard_normal(s) * scale).astype(np.float32) for s in shapes]
        norm = float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads)))
        for max_norm in (norm * 0.25, norm * 0.999, norm * 2.0, 100.0 * norm):
            params = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
            for p, g in zip(params, grads):
                p.grad = torch.from_numpy(g.copy())
            total = torch.nn.utils.clip_grad_norm_(params, max_norm)
            cases.append({
                "name": f"{name}, max_norm {max_norm / norm:g} x norm",
                "max_norm": max_norm,
                "shapes": [list(s) for s in shapes],
                "gradients": [[float(v) for v in g.ravel()] for g in grads],
                "total_norm": float(total),
                "clipped": [[float(v) for v in p.grad.numpy().ravel()] for p in params],
            })
    return cases


def write(path, document):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=HERE)
    args = parser.parse_args()
    torch.manual_seed(0)
    write(os.path.join(args.out, "schedules.json"), {"torch": torch.__version__, "cases": schedule_cases()})
    write(os.path.join(args.out, "clip.json"), {"torch": torch.__version__, "cases": clip_cases()})


if __name__ == "__main__":
    main()
