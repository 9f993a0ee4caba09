"""Writes data/breast_cancer/ and data/diabetes/ (train.csv, validation.csv, test.csv each) from the data
files of Debian's python3-sklearn (1.2.1+dfsg-1 when these were made).

    /usr/bin/python3 data/make_tabular.py            # writes next to this script
    /usr/bin/python3 data/make_tabular.py --out DIR  # writes DIR/breast_cancer, DIR/diabetes

Split: sklearn train_test_split with random_state=0, twice: 20% of the rows to test.csv, then 25% of the
remaining 80% (20% of all) to validation.csv, the rest (60%) to train.csv; stratified by the class for
breast_cancer, not stratified for diabetes. Rows keep the order train_test_split gives them.

CSV: a header row, ',' between fields, LF line ends, numbers as Python's repr of the float64 sklearn loads
(the shortest decimal that reads back to the same double; the source files have at most 5 significant
digits, so these are the source's own decimals, e.g. 17.99, 0.07871, 151.0: they round-trip as float64, so
also as float32). breast_cancer: the 30 feature names with spaces replaced by '_', then
`diagnosis` (malignant / benign). diabetes: age, sex, bmi, bp, s1..s6 raw (load_diabetes(scaled=False)),
then `progression`.

Rerunning it reproduces the files byte for byte (no time stamps, no randomness but random_state=0); it
prints each file's sha256.
"""
import argparse
import hashlib
import os

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.model_selection import train_test_split


def split(X, y, stratify):
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, random_state=0, stratify=y if stratify else None)
    X_train, X_val, y_train, y_val = train_test_split(
        X_rest, y_rest, test_size=0.25, random_state=0, stratify=y_rest if stratify else None)
    return {"train": (X_train, y_train), "validation": (X_val, y_val), "test": (X_test, y_test)}


def fmt(v):
    v = float(v)
    if not np.isfinite(v):
        raise ValueError(f"not a finite number: {v}")
    s = repr(v)
    assert float(s) == v and "," not in s and "e" not in s.lower(), s
    return s


def write_csv(path, header, X, y_text):
    lines = [",".join(header)]
    for row, target in zip(X, y_text):
        lines.append(",".join([fmt(v) for v in row] + [target]))
    data = ("\n".join(lines) + "\n").encode("ascii")
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                        help="folder to write breast_cancer/ and diabetes/ into (default: this script's folder)")
    args = parser.parse_args()
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")

    bc = load_breast_cancer()
    assert bc.data.shape == (569, 30) and list(bc.target_names) == ["malignant", "benign"]
    bc_header = [n.replace(" ", "_") for n in bc.feature_names] + ["diagnosis"]

    db = load_diabetes(scaled=False)
    assert db.data.shape == (442, 10)
    db_header = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    assert list(db.feature_names) == db_header
    db_header = db_header + ["progression"]

    sets = [
        ("breast_cancer", bc_header, split(bc.data, bc.target, stratify=True),
         lambda y: [str(bc.target_names[int(c)]) for c in y]),
        ("diabetes", db_header, split(db.data, db.target, stratify=False),
         lambda y: [fmt(v) for v in y]),
    ]
    for name, header, parts, target_text in sets:
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        for part in ("train", "validation", "test"):
            X, y = parts[part]
            digest = write_csv(os.path.join(folder, part + ".csv"), header, X, target_text(y))
            extra = ""
            if name == "breast_cancer":
                extra = f"  malignant {int(np.sum(y == 0))} benign {int(np.sum(y == 1))}"
            else:
                extra = f"  target mean {np.mean(y):.2f}"
            print(f"{digest}  {name}/{part}.csv  {len(y)} rows{extra}")


if __name__ == "__main__":
    main()
