#!/usr/bin/env bash
# The roofline of mnist's training step and inference (issue 15), from any folder, in about 6 minutes on 2 cores:
#   1. builds bench/NetGen.Benchmarks (Release);
#   2. runs, in one BenchmarkDotNet run (ShortJob, one thread): the Vector256 FMA peak (FmaPeakBenchmarks.Vector256Fma), the
#      core's read and read+write bandwidth at 16 KB, 256 KB, 8 MB and 256 MB (RooflineBandwidthBenchmarks), and each kernel
#      of one training step at batch 32, the whole TrainStep, Forward of the 10,000 test images and Predict of one image
#      (RooflineKernelBenchmarks; with AdamInL1, Adam's arithmetic on data that stays in L1);
#   3. prints the counts (multiply-adds dense and done, bytes moved: `roofline-counts`) joined with the times as one table
#      (`roofline-table`).
# Usage: bench/roofline.sh [OUTDIR]   (default: a new folder under /tmp; BenchmarkDotNet's log and reports stay there)
# State the machine's load: the script prints `uptime` before and after the run; on a shared machine, run it when idle.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d /tmp/roofline.XXXXXX)}"
mkdir -p "$out"
project="$root/bench/NetGen.Benchmarks"

echo "Roofline run, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- 2>/dev/null || echo ' (working tree changed)'), output in $out"
echo "Load before: $(uptime)"
dotnet build "$project" -c Release --nologo -v quiet > "$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

# The child processes BenchmarkDotNet starts build from the project folder; run from the repository root so data/mnist is found.
cd "$root"
dotnet run -c Release --no-build --project "$project" -- \
    --filter '*Roofline*' '*FmaPeakBenchmarks.Vector256Fma*' \
    --exporters json --artifacts "$out" > "$out/benchmarks.log" 2>&1 || { tail -50 "$out/benchmarks.log"; exit 1; }
echo "Load after:  $(uptime)"
echo

# The machine as BenchmarkDotNet describes it (the block that starts with its version line).
awk '/^BenchmarkDotNet v/ { on = 1 } on && /^$/ { exit } on' "$out/benchmarks.log"
grep -m1 '^// batch nonzero' "$out/benchmarks.log" || true
echo

dotnet run -c Release --no-build --project "$project" -- roofline-table "$out/results" | grep -v '^// MNIST data'
