#!/usr/bin/env bash
# NetGen's tabular examples (data/breast_cancer, data/diabetes) for seeds 0..N-1, beside bench/pytorch/tabular.py, the same
# networks, files, standardization, early stopping and schedule in PyTorch. Usage: bench/tabular.sh [SEEDS] (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
dotnet build -c Release src/Mnist -v q -nologo >/dev/null
program=src/Mnist/bin/Release/net10.0/netgen-mnist
export CI=true
for set in breast_cancer diabetes; do
  label=$([ "$set" = breast_cancer ] && echo diagnosis || echo progression)
  echo "$set (nets.json's training section: batch 32, early stopping, $([ "$set" = diabetes ] && echo "reduce_on_plateau, ")1 thread)"
  for ((seed = 0; seed < seeds; seed++)); do
    out=$("$program" train --net "$set" --seed "$seed" --data "data/$set/train.csv" --label "$label" \
      --validation "data/$set/validation.csv" --test "data/$set/test.csv")
    best=$(grep -oE 'best epoch [0-9]+: validation .*' <<<"$out" | sed -E 's/ \(its weights restored\)//')
    echo "  seed $seed: $best; $(tail -n 1 <<<"$out")"
  done
done
