#!/usr/bin/env bash
# What Python's own tools say about the files NetGen writes for them (issue 14), with Debian's python3-onnx 1.12 and
# python3-torch 1.13, installed with apt-get when missing (as root, or through sudo):
# - onnx.checker.check_model(full_check=True) accepts `netgen-mnist export --onnx` of mnist and of mnist_cnn (the model
#   files in tests/NetGen.Tests/Fixtures: a NetGen 0.1.0 mnist and a PyTorch-trained mnist_cnn);
# - PyTorch's load_state_dict(strict=True) takes `export --weights-only` of both, with exactly the modules' keys
#   (tests/NetGen.Tests/Fixtures/pytorch/check_weights_only.py).
# Needs the Release build of src/Mnist (.ci/run's smoke test builds it). Prints one "PASS name" or "FAIL name: reason"
# line per check and exits non-zero if one failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 CI=true OPENBLAS_NUM_THREADS=1
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }

have_modules() { "$python" -c 'import onnx, torch, numpy' >/dev/null 2>&1; }
if ! have_modules; then
  echo "python-check: installing python3-onnx and python3-torch with apt-get"
  as_root=()
  [ "$(id -u)" -ne 0 ] && as_root=(sudo)
  if ! { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends python3-onnx python3-torch python3-numpy; } >"$work/apt.log" 2>&1; then
    tail -n 20 "$work/apt.log" | sed 's/^/  | /'
    fail "python-install" "apt-get install python3-onnx python3-torch failed"
    exit 1
  fi
  have_modules || { fail "python-install" "python3-onnx and python3-torch were installed but $python cannot import them"; exit 1; }
fi

program=(dotnet run -c Release --no-build --project src/Mnist --)
fixtures=tests/NetGen.Tests/Fixtures
for case in "mnist $fixtures/mnist-0.1.0.safetensors" "mnist_cnn $fixtures/pytorch/mnist_cnn.trained.safetensors"; do
  set -- $case
  net=$1 model=$2
  if ! "${program[@]}" export --net "$net" --load "$model" --onnx "$work/$net.onnx" --weights-only "$work/$net.weights.safetensors" >"$work/$net.export.log" 2>&1; then
    fail "export-$net" "netgen-mnist export --net $net --load $model --onnx ... --weights-only ... failed: $(tail -n 1 "$work/$net.export.log")"
    continue
  fi
  if "$python" - "$work/$net.onnx" >"$work/$net.checker.log" 2>&1 <<'PY'
import sys
import onnx
model = onnx.load(sys.argv[1])
onnx.checker.check_model(model, full_check=True)
ops = [n.op_type for n in model.graph.node]
print(f"onnx {onnx.__version__}: ir_version {model.ir_version}, opset {model.opset_import[0].version}, {len(ops)} nodes: {' '.join(ops)}")
PY
  then
    pass "onnx-checker-$net ($(tail -n 1 "$work/$net.checker.log"))"
  else
    fail "onnx-checker-$net" "onnx.checker.check_model rejected the exported file: $(tail -n 1 "$work/$net.checker.log")"
  fi
  if "$python" $fixtures/pytorch/check_weights_only.py "$net" "$work/$net.weights.safetensors" >"$work/$net.torch.log" 2>&1; then
    pass "torch-strict-$net ($(tail -n 1 "$work/$net.torch.log" | sed "s|$work/||"))"
  else
    fail "torch-strict-$net" "$(tail -n 1 "$work/$net.torch.log")"
  fi
done
exit $failed
