#!/usr/bin/env bash
# Side-by-side: NetGen's netgen-mnist against the same network and loop in plain PyTorch
# (bench/pytorch/mnist_fast.py for the "mnist" MLP, bench/pytorch/mnist_cnn.py for "mnist_cnn"), each
# run as a whole process (load, train, evaluate), interleaved on this machine in one run. Prints a Markdown report: accuracy, mean epoch time, whole-process
# wall time, CPU time and peak RSS of every implementation and thread count, and the ratios
# PyTorch/NetGen at equal thread counts. See bench/README.md.
#
# usage: bench/compare-pytorch.sh [-m NET] [-n REPS] [-e EPOCHS] [-t "1 2"] [-s SEED] [--only IMPL]
#                                 [-i IMAGES] [--no-build] [-l LOGDIR]
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/compare-pytorch.sh [options]

Runs netgen-mnist and its PyTorch peer, each a whole process, at each thread count, REPS times,
interleaved, and prints a Markdown table (also written to LOGDIR/summary.md).

  -m, --net NAME      the network: mnist (default; the 784-128-64-10 MLP, peer bench/pytorch/mnist_fast.py)
                      or mnist_cnn (the small CNN, peer bench/pytorch/mnist_cnn.py); netgen-mnist must know
                      it too (checked before any run)
  -n, --reps N        repetitions of the whole set of runs (default 1)
  -e, --epochs N      training epochs of every run (default 5)
  -t, --threads LIST  thread counts, space- or comma-separated (default "1 2")
  -s, --seed N        seed passed to both (default: each one's own, nets.json's for NetGen, 0 for PyTorch)
      --only IMPL     run only one side: netgen or pytorch (no ratios; pytorch needs no .NET build)
  -i, --train-images N  train PyTorch on the first N training images only (a quick check; needs
                      --only pytorch, as netgen-mnist has no such option)
      --no-build      use the existing Release build of src/Mnist instead of building it
  -l, --logs DIR      keep every run's output here (default: a new folder under /tmp)
  -h, --help          this text

Needs Debian's /usr/bin/python3 with python3-torch and libopenblas0-pthread (installed with
apt-get when `import torch` fails; that needs root or password-less sudo), /usr/bin/time
(package `time`, installed the same way) and the .NET 10 SDK.
EOF
}

die() { echo "compare-pytorch: error: $*" >&2; exit 1; }
note() { echo "compare-pytorch: $*" >&2; }

net=mnist
only=""
train_images=""
reps=1
epochs=5
threads_list="1 2"
seed=""
build=1
logdir=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        -m|--net) [[ $# -ge 2 ]] || die "$1 needs a value"; net=$2; shift 2 ;;
        --only) [[ $# -ge 2 ]] || die "$1 needs a value"; only=$2; shift 2 ;;
        -i|--train-images) [[ $# -ge 2 ]] || die "$1 needs a value"; train_images=$2; shift 2 ;;
        -n|--reps) [[ $# -ge 2 ]] || die "$1 needs a value"; reps=$2; shift 2 ;;
        -e|--epochs) [[ $# -ge 2 ]] || die "$1 needs a value"; epochs=$2; shift 2 ;;
        -t|--threads) [[ $# -ge 2 ]] || die "$1 needs a value"; threads_list=${2//,/ }; shift 2 ;;
        -s|--seed) [[ $# -ge 2 ]] || die "$1 needs a value"; seed=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -l|--logs) [[ $# -ge 2 ]] || die "$1 needs a value"; logdir=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "--reps needs a whole number of at least 1; got '$reps'"
[[ $epochs =~ ^[1-9][0-9]*$ ]] || die "--epochs needs a whole number of at least 1; got '$epochs'"
[[ -z $seed || $seed =~ ^-?[0-9]+$ ]] || die "--seed needs a whole number; got '$seed'"
read -r -a threads <<<"$threads_list"
[[ ${#threads[@]} -ge 1 ]] || die "--threads needs at least one thread count"
for t in "${threads[@]}"; do
    [[ $t =~ ^[1-9][0-9]*$ ]] || die "--threads needs whole numbers of at least 1; got '$t'"
done
case "$only" in
    "") impls=(netgen pytorch) ;;
    netgen|pytorch) impls=("$only") ;;
    *) die "--only takes netgen or pytorch; got '$only'" ;;
esac
if [[ -n $train_images ]]; then
    [[ $train_images =~ ^[1-9][0-9]*$ ]] || die "--train-images needs a whole number of at least 1; got '$train_images'"
    [[ $only == pytorch ]] || die "--train-images needs --only pytorch: netgen-mnist always trains on the whole training set"
fi
# Each network NetGen is compared on: its PyTorch peer, the peer's extra arguments and the report's title.
case "$net" in
    mnist)
        pytorch_name=mnist_fast.py
        pytorch_args=()
        title="MNIST 784-128-64-10 ReLU, Adam lr 0.001, batch 32" ;;
    mnist_cnn)
        pytorch_name=mnist_cnn.py
        # Chunks of 1000: PyTorch's faster way here, and a third of the peak memory of one batch of 10,000.
        pytorch_args=(--eval chunks)
        title="MNIST CNN mnist_cnn (conv 16 3x3, max-pool 2, conv 32 3x3, max-pool 2, dense 128, dense 10; ReLU), Adam lr 0.001, batch 32" ;;
    *) die "unknown network '$net': this script compares mnist (bench/pytorch/mnist_fast.py) and mnist_cnn (bench/pytorch/mnist_cnn.py)" ;;
esac
[[ -z $train_images ]] || pytorch_args+=(--train-images "$train_images")

# The repository root, from this script's location, so that any working folder works.
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$script_dir/.." && pwd)
cd "$root"
[[ -f src/Mnist/NetGen.Mnist.csproj ]] || die "$root does not look like the NetGen repository (no src/Mnist/NetGen.Mnist.csproj)"
data_dir="$root/data/mnist"
[[ -d $data_dir ]] || die "no MNIST data at $data_dir"
pytorch_script="$script_dir/pytorch/$pytorch_name"
[[ -f $pytorch_script ]] || die "missing $pytorch_script"

# Debian's own Python: python3-torch is installed for it, not for another python3 earlier on PATH
# (pyenv, conda, a venv).
py=/usr/bin/python3

# Runs a command as root: directly when we are root, else with password-less sudo.
as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo "$@"
    else
        return 1
    fi
}

apt_updated=0
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        die "cannot install $*: no apt-get here (this script expects Debian); install them yourself"
    fi
    if [[ $(id -u) -ne 0 ]] && ! { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; then
        die "cannot install $*: not root and no password-less sudo. As root run: apt-get update && apt-get install -y $*"
    fi
    note "installing $* with apt-get (needs the Debian package mirrors)"
    if [[ $apt_updated -eq 0 ]]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || die "apt-get update failed"
        apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2 || die "apt-get install -y $* failed"
}

package_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]
}

if [[ $only == netgen ]]; then
    : # no PyTorch run, nothing to install
elif ! [[ -x $py ]] || ! "$py" -c "import torch" >/dev/null 2>&1; then
    note "$py cannot import torch"
    apt_install python3-torch libopenblas0-pthread
    "$py" -c "import torch" >/dev/null 2>&1 || die "$py still cannot import torch after installing python3-torch"
elif command -v dpkg-query >/dev/null 2>&1 && ! package_installed libopenblas0-pthread \
        && ! package_installed libopenblas0-openmp && ! package_installed libopenblas0-serial; then
    # Without an optimized BLAS Debian's torch uses the reference BLAS: about 20 times slower.
    note "torch is there but no OpenBLAS is installed"
    apt_install libopenblas0-pthread
fi
if ! [[ -x /usr/bin/time ]]; then
    note "/usr/bin/time is missing (it measures peak RSS)"
    apt_install time
fi
[[ $only == pytorch ]] || command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH"

if [[ -n $logdir ]]; then
    mkdir -p "$logdir"
    logdir=$(cd "$logdir" && pwd)
else
    logdir=$(mktemp -d "${TMPDIR:-/tmp}/netgen-vs-pytorch.XXXXXX")
fi

# Build NetGen once; every run then starts the built assembly with `dotnet`, not `dotnet run`.
if [[ $only == pytorch ]]; then
    note "--only pytorch: not building or running netgen-mnist"
elif [[ $build -eq 1 ]]; then
    note "building src/Mnist (Release)"
    if ! dotnet build -c Release src/Mnist -nologo >"$logdir/build.log" 2>&1; then
        tail -n 40 "$logdir/build.log" >&2
        die "dotnet build -c Release src/Mnist failed (whole log: $logdir/build.log)"
    fi
fi
if [[ $only != pytorch ]]; then
    netgen_dll=$(dotnet msbuild src/Mnist/NetGen.Mnist.csproj -nologo -getProperty:TargetPath -p:Configuration=Release 2>/dev/null | tail -n 1 || true)
    [[ -n $netgen_dll ]] || netgen_dll="$root/src/Mnist/bin/Release/net10.0/netgen-mnist.dll"
    [[ -f $netgen_dll ]] || die "no built $netgen_dll (run without --no-build)"
    # Does this build know the network? `eval` of a file that does not exist fails at once, either on the
    # network (an unknown --net is a usage error listing the valid names) or, when the network is known, on
    # the missing file, whose path the error names.
    probe="$logdir/no-such-model.safetensors"
    probe_output=$(dotnet "$netgen_dll" eval --net "$net" --load "$probe" 2>&1 || true)
    if [[ $probe_output != *"$probe"* ]]; then
        printf '%s\n' "$probe_output" | sed 's/^/  netgen-mnist: /' >&2
        die "netgen-mnist ($netgen_dll) does not know the network '$net' (its answer above); build a version that has it, or compare another --net"
    fi
fi

# Facts above the table.
run_date=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
cpu_model=$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
cpu_count=$(nproc 2>/dev/null || echo '?')
os_name=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}" || true)
dotnet_sdk=$(dotnet --version 2>/dev/null || echo '?')
dotnet_runtime=$(dotnet --list-runtimes 2>/dev/null | awk '$1 == "Microsoft.NETCore.App" { v = $2 } END { print v }' || true)
torch_version=$("$py" -c "import torch; print(torch.__version__)" 2>/dev/null || echo '?')
torch_package=$(dpkg-query -W -f='${Version}' python3-torch 2>/dev/null || true)
python_version=$("$py" -c "import platform; print(platform.python_version())" 2>/dev/null || echo '?')
openblas=$(dpkg-query -W -f='${Package} ${Version}\n' libopenblas0-pthread libopenblas0-openmp libopenblas0-serial 2>/dev/null \
    | awk 'NF == 2 { printf "%s%s %s", sep, $1, $2; sep = ", " }' || true)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
load_at_start=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')

results="$logdir/results.tsv"
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
# Busy CPU ticks of the whole machine so far (user, nice, system, irq, softirq, steal) from /proc/stat.
cpu_busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
printf 'impl\tthreads\trep\tacc\tepochs\tepoch_mean_s\tepoch_first_s\twall_s\tcpu_s\tmaxrss_kb\tothers_cpu_s\teval_s\n' >"$results"

# run_one IMPL THREADS REP: one whole process, timed; appends a line to $results.
run_one() {
    local impl=$1 t=$2 rep=$3
    local log="$logdir/$impl-t$t-r$rep.log" timefile="$logdir/$impl-t$t-r$rep.time"
    local -a cmd
    if [[ $impl == netgen ]]; then
        cmd=(dotnet "$netgen_dll" train --net "$net" --data "$data_dir" --threads "$t" --epochs "$epochs")
    else
        # The PyTorch scripts set OPENBLAS_NUM_THREADS to T themselves; drop inherited thread settings.
        cmd=(env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS "$py" "$pytorch_script" "$data_dir" --threads "$t" --epochs "$epochs" "${pytorch_args[@]}")
    fi
    [[ -z $seed ]] || cmd+=(--seed "$seed")
    note "rep $rep/$reps: $impl, $t thread(s): ${cmd[*]}"
    local start end busy_before busy_after
    busy_before=$(cpu_busy)
    start=$(date +%s.%N)
    if ! /usr/bin/time -o "$timefile" -f 'maxrss_kb=%M user_s=%U sys_s=%S' "${cmd[@]}" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "$impl with $t thread(s) failed (output: $log)"
    fi
    end=$(date +%s.%N)
    busy_after=$(cpu_busy)

    local acc epoch_stats maxrss cpu wall eval_s
    acc=$(sed -n 's/^Test accuracy: \([0-9.]*\)%.*/\1/p' "$log" | tail -n 1)
    [[ -n $acc ]] || die "no 'Test accuracy:' line in $log"
    # "Epoch 3/5  loss 0.0812  2.31 s": the same line from both programs.
    epoch_stats=$(awk '$1 == "Epoch" && $2 ~ /^[0-9]+\/[0-9]+$/ && $NF == "s" {
                           n++; sum += $(NF-1); if (n == 1) first = $(NF-1) }
                       END { if (n) printf "%d\t%.4f\t%.4f", n, sum / n, first }' "$log")
    [[ -n $epoch_stats ]] || die "no epoch lines in $log"
    maxrss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$timefile" | tail -n 1)
    cpu=$(sed -n 's/.*user_s=\([0-9.]*\) sys_s=\([0-9.]*\).*/\1 \2/p' "$timefile" | tail -n 1 | awk '{ printf "%.2f", $1 + $2 }')
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
    # The PyTorch scripts time their one evaluation of the test set (RESULT ... eval_s=); netgen-mnist does not.
    eval_s=$(sed -n 's/^RESULT .* eval_s=\([0-9.]*\) .*/\1/p' "$log" | tail -n 1)
    # CPU time the whole machine spent on other work while this run ran: its busy time minus ours.
    local others
    others=$(awk -v a="$busy_before" -v b="$busy_after" -v hz="$clk_tck" -v own="$cpu" \
        'BEGIN { o = (b - a) / hz - own; if (o < 0) o = 0; printf "%.1f", o }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$impl" "$t" "$rep" "$acc" "$epoch_stats" "$wall" "$cpu" "${maxrss:-0}" "$others" "${eval_s:--}" >>"$results"
    note "  -> accuracy $acc%, epoch $(cut -f 2 <<<"$epoch_stats" | awk '{ printf "%.2f", $1 }') s mean, process ${wall} s, CPU ${cpu} s, peak RSS $(( ${maxrss:-0} / 1024 )) MB, others' CPU ${others} s"
}

# Interleaved: every repetition runs each thread count of both; the order of the pair alternates
# between repetitions so neither side always runs right after the other's warm caches or load spike.
for ((rep = 1; rep <= reps; rep++)); do
    for t in "${threads[@]}"; do
        if (( ${#impls[@]} == 1 )); then
            run_one "${impls[0]}" "$t" "$rep"
        elif (( rep % 2 == 1 )); then
            run_one netgen "$t" "$rep"; run_one pytorch "$t" "$rep"
        else
            run_one pytorch "$t" "$rep"; run_one netgen "$t" "$rep"
        fi
    done
done

summary="$logdir/summary.md"
{
    case "$only" in
        netgen) heading="NetGen only" ;;
        pytorch) heading="PyTorch only" ;;
        *) heading="NetGen vs PyTorch" ;;
    esac
    echo "## $heading: $title, $epochs epoch(s)${train_images:+, PyTorch on the first $train_images training images}"
    echo
    echo "- Date: $run_date"
    echo "- CPU: ${cpu_model:-unknown} ($cpu_count logical CPUs)${os_name:+, $os_name}; load average at start: $load_at_start"
    echo "- .NET: SDK $dotnet_sdk, runtime $dotnet_runtime; NetGen commit $commit (working tree as built)"
    echo "- PyTorch: torch $torch_version${torch_package:+ (Debian python3-torch $torch_package)}, Python $python_version ($py)${openblas:+, $openblas}"
    netgen_run="NetGen = \`dotnet netgen-mnist.dll train --net $net --threads T\`"
    pytorch_run="PyTorch = \`bench/pytorch/$pytorch_name --threads T${pytorch_args[*]:+ ${pytorch_args[*]}}\` (torch.set_num_threads(T), OPENBLAS_NUM_THREADS=T)"
    case "$only" in
        netgen) runs=$netgen_run ;;
        pytorch) runs=$pytorch_run ;;
        *) runs="interleaved; $netgen_run, $pytorch_run" ;;
    esac
    echo "- Runs: $reps repetition(s), $runs${seed:+, seed $seed}"
    echo
    awk -F '\t' -v reps="$reps" '
        NR == 1 { next }
        {
            key = $1 SUBSEP $2
            if (!(key in n)) { order[++keys] = key; amin[key] = $4; amax[key] = $4; wmin[key] = $8; wmax[key] = $8; emin[key] = $6; emax[key] = $6 }
            n[key]++
            esum[key] += $6 * $5; ecount[key] += $5
            wsum[key] += $8; csum[key] += $9; osum[key] += ($8 > 0 ? $11 / $8 : 0); if ($10 > rmax[key]) rmax[key] = $10
            if ($4 < amin[key]) amin[key] = $4; if ($4 > amax[key]) amax[key] = $4
            if ($6 < emin[key]) emin[key] = $6; if ($6 > emax[key]) emax[key] = $6
            if ($8 < wmin[key]) wmin[key] = $8; if ($8 > wmax[key]) wmax[key] = $8
            if ($12 != "-" && $12 != "") { evsum[key] += $12; ecnt[key]++ }
        }
        function range(mean, lo, hi, fmt) {
            return reps > 1 ? sprintf(fmt " (" fmt "-" fmt ")", mean, lo, hi) : sprintf(fmt, mean)
        }
        END {
            print "| Implementation | Threads | Test accuracy | Mean epoch time (s) | Whole process (s) | CPU user+sys (s) | Peak RSS (MB) | Other work (cores) |"
            print "|---|--:|--:|--:|--:|--:|--:|--:|"
            for (i = 1; i <= keys; i++) {
                k = order[i]; split(k, part, SUBSEP)
                name = part[1] == "netgen" ? "NetGen" : "PyTorch"
                acc = amin[k] == amax[k] ? sprintf("%.2f%%", amin[k]) : sprintf("%.2f-%.2f%%", amin[k], amax[k])
                emean[k] = esum[k] / ecount[k]; wmean[k] = wsum[k] / n[k]
                other = osum[k] / n[k]
                if (other > worst) { worst = other; worst_run = name " at " part[2] " thread(s)" }
                printf "| %s | %s | %s | %s | %s | %.1f | %.0f | %.2f |\n", name, part[2], acc,
                    range(emean[k], emin[k], emax[k], "%.2f"), range(wmean[k], wmin[k], wmax[k], "%.2f"),
                    csum[k] / n[k], rmax[k] / 1024, other
            }
            pairs = 0
            for (i = 1; i <= keys; i++) {
                k = order[i]; split(k, part, SUBSEP)
                if (part[1] != "netgen") continue
                p = "pytorch" SUBSEP part[2]
                if (!(p in n)) continue
                if (pairs++ == 0) {
                    print ""
                    print "| Threads | Epoch time PyTorch/NetGen | Whole process PyTorch/NetGen |"
                    print "|--:|--:|--:|"
                }
                printf "| %s | %.2f | %.2f |\n", part[2], emean[p] / emean[k], wmean[p] / wmean[k]
            }
            evals = 0
            for (i = 1; i <= keys; i++) {
                k = order[i]; split(k, part, SUBSEP)
                if (part[1] != "pytorch" || !(k in ecnt)) continue
                printf "%s%s thread(s) %.2f s", (evals++ ? ", " : "\nPyTorch evaluating the 10,000 test images once (its own timer, mean): "), part[2], evsum[k] / ecnt[k]
            }
            if (evals) print ""
            if (worst > 0.2)
                printf "\n**Noisy run**: other processes kept %.2f cores busy on average during %s; the times are inflated. Rerun on an idle machine.\n", worst, worst_run
        }' "$results"
    echo
    echo "Ratios above 1: NetGen is faster. Epoch time: each program's own timer of one pass over the"
    if [[ $reps -gt 1 ]]; then
        echo "training set, averaged over all epochs and repetitions (in brackets: min-max of the runs' means)."
    else
        echo "training set, averaged over all epochs."
    fi
    echo "Whole process: wall clock from start to exit (runtime or interpreter start-up, loading the data,"
    echo "training, evaluating the test set). CPU: user+sys time of the process. Peak RSS: the largest of"
    echo "the repetitions. Other work: busy CPU time of the whole machine during the run (/proc/stat, steal"
    echo "included) minus the process's own, divided by its wall time: the cores other processes took (mean"
    echo "of the repetitions); well above 0 means they competed with the run. netgen-mnist evaluates the"
    echo "test set after every epoch and the PyTorch scripts once at the end, so NetGen's whole process"
    echo "holds $epochs evaluation(s) and PyTorch's one. Raw output: $logdir"
} >"$summary"

cat "$summary"
