#!/usr/bin/env bash
# NetGen as a user gets it: packs the repository into a local feed, then makes brand-new projects (`dotnet new console`,
# and one `dotnet new classlib`) that reference the NetGen package from that feed, as someone following the README
# would, and builds them with warnings as errors, nullable reference types and every analyzer rule
# (AnalysisLevel latest-all). The training case runs its program and checks the accuracy it reaches.
#
# Prints one line per case, "PASS name" or "FAIL name: reason", then one closing line; exits non-zero if a case failed.
# Everything happens in a temporary folder (private NuGet package folder included), removed at the end unless a case
# failed or NETGEN_KEEP_TEMP=1; the logs of every command are there. NETGEN_REGISTRY_URL overrides the package
# registry (by default the first enabled http(s) source of the machine's NuGet configuration).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild node or MSBuild server outlives the script (builds also pass -nodeReuse:false and no compiler server).
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/netgen-consumer.XXXXXX")
feed=$work/feed
mkdir -p "$feed" "$work/logs"
passed=0
failed=0
version=""

# --- helpers -------------------------------------------------------------------------------------------------

# Ends the current case (each runs in a subshell) with a reason.
fail_because() {
  printf '%s\n' "$*" >"$work/reason"
  exit 1
}

# run_case NAME FUNCTION: runs FUNCTION with errexit in a subshell and prints PASS or FAIL.
run_case() {
  local name=$1 fn=$2 status
  rm -f "$work/reason"
  set +e
  (set -e; "$fn")
  status=$?
  set -e
  if [ "$status" -eq 0 ]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    local reason="a command failed (exit $status); see $work/logs"
    [ -s "$work/reason" ] && reason=$(cat "$work/reason")
    echo "FAIL $name: $reason"
    failed=$((failed + 1))
  fi
}

# Lists a zip file's entries / prints one entry, with unzip or else python3.
zip_list() {
  if command -v unzip >/dev/null 2>&1; then unzip -Z1 "$1"
  elif command -v python3 >/dev/null 2>&1; then python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  else fail_because "listing the package needs unzip or python3"; fi
}
zip_entry() {
  if command -v unzip >/dev/null 2>&1; then unzip -p "$1" "$2"
  else python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"; fi
}

# The lines of a dotnet build log before its summary (which repeats every error and warning).
main_part() {
  sed -E '/^ *Build (FAILED|succeeded)/,$d' "$1"
}

# The first error or warning line of a log, for a FAIL reason.
first_problem() {
  grep -m1 -E '(error|warning):? [A-Z]+[0-9]+' "$1" | sed -E 's/ \[[^]]*\]$//; s#^[^ ]*/##' || echo "no error line; see $1"
}

# new_project DIR [TEMPLATE]: `dotnet new console` (or TEMPLATE) with warnings as errors, nullable and every analyzer
# rule, plus the package. The project is DIR/TinyApp.csproj.
new_project() {
  local dir=$1 template=${2:-console} name
  name=$(basename "$dir")
  [ -n "$version" ] || fail_because "no package to reference (the pack case failed)"
  dotnet new "$template" --no-restore --no-update-check -n TinyApp -o "$dir" >"$work/logs/$name.new.log" 2>&1 \
    || fail_because "dotnet new $template failed; see $work/logs/$name.new.log"
  sed -i 's|</Project>|  <PropertyGroup>\n    <Nullable>enable</Nullable>\n    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>\n    <AnalysisLevel>latest-all</AnalysisLevel>\n  </PropertyGroup>\n</Project>|' "$dir/TinyApp.csproj"
  (cd "$dir" && dotnet add package NetGen --version "$version") >"$work/logs/$name.add.log" 2>&1 \
    || fail_because "dotnet add package NetGen --version $version failed: $(first_problem "$work/logs/$name.add.log")"
}

# build DIR: dotnet build into logs/NAME.build.log; returns dotnet's exit code.
build() {
  local dir=$1
  dotnet build "$dir" -c Release -tl:off -nodeReuse:false -p:UseSharedCompilation=false >"$work/logs/$(basename "$dir").build.log" 2>&1
}

# build_clean DIR: the build must succeed without a single warning.
build_clean() {
  local dir=$1 log
  log=$work/logs/$(basename "$dir").build.log
  build "$dir" || fail_because "dotnet build failed: $(first_problem "$log")"
  local main
  main=$(main_part "$log")
  if grep -qE ': (warning|error) [A-Z]+[0-9]+' <<<"$main"; then
    fail_because "dotnet build reported: $(first_problem "$log")"
  fi
}

write_spec() {
  cat <<'EOF'
{
  "networks": {
    "tiny": {
      "input": 2,
      "layers": [
        { "units": 16, "activation": "tanh" },
        { "units": 16, "activation": "relu" },
        { "units": 2 }
      ],
      "loss": "cross_entropy",
      "optimizer": { "type": "adam", "lr": 0.01 },
      "training": { "batch_size": 32, "epochs": 50, "seed": 1 }
    }
  }
}
EOF
}

write_class() {
  cat <<'EOF'
using NetGen;

[Network("tiny")]
internal sealed partial class TinyNet;
EOF
}

# Trains TinyNet on two interleaved spirals with the README's loop and prints its accuracy on a second sample.
write_program() {
  cat <<'EOF'
using NetGen;

// Two interleaved spirals of 1.5 turns: class 1 is class 0 turned by 180 degrees.
static (float[] Points, int[] Labels) Spirals(int count, int seed)
{
    var random = new RandomSource(seed);
    var points = new float[count * 2];
    var labels = new int[count];
    for (int i = 0; i < count; i++)
    {
        labels[i] = i % 2;
        float radius = random.NextFloat(0.25f, 1f);
        float angle = 3f * MathF.PI * radius + labels[i] * MathF.PI;
        points[2 * i] = radius * MathF.Cos(angle) + 0.05f * random.NextGaussian();
        points[2 * i + 1] = radius * MathF.Sin(angle) + 0.05f * random.NextGaussian();
    }
    return (points, labels);
}

var (x, y) = Spirals(1000, seed: 1);

using var net = new TinyNet();                         // initialized from the spec's seed
int batch = net.Defaults.BatchSize, width = TinyNet.InputSize;
var inputs = new float[batch * width];
var labels = new int[batch];
var order = Enumerable.Range(0, y.Length).ToArray();
var random = new RandomSource(net.Seed, stream: 1);
for (int epoch = 1; epoch <= net.Defaults.Epochs; epoch++)
{
    random.Shuffle(order.AsSpan());                    // a new order every epoch
    double loss = 0;
    for (int first = 0; first < order.Length; first += batch)
    {
        int rows = Math.Min(batch, order.Length - first);
        for (int r = 0; r < rows; r++)
        {
            x.AsSpan(order[first + r] * width, width).CopyTo(inputs.AsSpan(r * width));
            labels[r] = y[order[first + r]];
        }
        loss += net.TrainStep(inputs.AsSpan(0, rows * width), labels.AsSpan(0, rows)) * rows;
    }
    Console.WriteLine($"epoch {epoch}: loss {loss / order.Length:F4}");
}

var (testX, testY) = Spirals(1000, seed: 2);
int correct = 0;
for (int i = 0; i < testY.Length; i++)
{
    if (net.Predict(testX.AsSpan(i * width, width)) == testY[i]) correct++;
}
Console.WriteLine($"Accuracy: {100.0 * correct / testY.Length:F2}% ({correct}/{testY.Length})");
EOF
}

# --- cases -----------------------------------------------------------------------------------------------------

# `dotnet pack -c Release` at the root makes exactly one package, NetGen, holding runtime, generator and props,
# and depending on MathNet.Numerics only. Its own artifacts folder: nothing of the work tree's bin/ and obj/ is used.
case_pack() {
  local log=$work/logs/pack.log out=$work/artifacts/package/release
  dotnet pack -c Release --artifacts-path "$work/artifacts" -tl:off -nodeReuse:false -p:UseSharedCompilation=false >"$log" 2>&1 \
    || fail_because "dotnet pack failed: $(first_problem "$log")"
  local packages
  packages=$(cd "$out" 2>/dev/null && ls -- *.nupkg *.snupkg 2>/dev/null || true)
  [ "$(printf '%s\n' "$packages" | grep -c .)" -eq 1 ] || fail_because "expected one package, got: $(tr '\n' ' ' <<<"$packages")"
  [[ "$packages" =~ ^NetGen\.([0-9][^/]*)\.nupkg$ ]] || fail_because "expected NetGen.VERSION.nupkg, got $packages"
  local pkg=$out/$packages entries deps
  entries=$(zip_list "$pkg")
  for entry in lib/net10.0/NetGen.Runtime.dll lib/net10.0/NetGen.Runtime.xml analyzers/dotnet/cs/NetGen.Generator.dll \
               buildTransitive/NetGen.props README.md NetGen.nuspec; do
    grep -qxF "$entry" <<<"$entries" || fail_because "the package lacks $entry"
  done
  ! grep -qi 'codeanalysis' <<<"$entries" || fail_because "the package holds Roslyn: $(grep -i codeanalysis <<<"$entries" | head -1)"
  deps=$(zip_entry "$pkg" NetGen.nuspec | grep -oE '<dependency id="[^"]+"' | sed -E 's/.*id="//; s/"$//' | sort -u | tr '\n' ' ')
  [ "$deps" = "MathNet.Numerics " ] || fail_because "dependencies should be MathNet.Numerics only, are: ${deps:-none}"
  cp "$pkg" "$feed/"
  echo "${BASH_REMATCH[1]}" >"$work/version"
}

# The user's path: new console project, the package, nets.json, the partial class, the README's training loop.
# Builds without a warning under the strictest settings, runs, and must classify the spirals well above chance.
case_train() {
  local dir=$work/train
  new_project "$dir"
  write_spec >"$dir/nets.json"
  write_class >"$dir/TinyNet.cs"
  write_program >"$dir/Program.cs"
  build_clean "$dir"
  local run_log=$work/logs/train.run.log
  dotnet run --project "$dir" -c Release --no-build >"$run_log" 2>&1 \
    || fail_because "the program failed: $(tail -n 1 "$run_log")"
  local accuracy
  accuracy=$(sed -nE 's/^Accuracy: ([0-9.]+)% .*/\1/p' "$run_log")
  [ -n "$accuracy" ] || fail_because "the program printed no accuracy line; see $run_log"
  awk -v a="$accuracy" 'BEGIN { exit !(a >= 90) }' || fail_because "test accuracy $accuracy% is below 90% (chance is 50%)"
  grep '^Accuracy:' "$run_log" >"$work/accuracy"
}

# A misspelled activation in nets.json: dotnet build fails with NG2005 at the misspelled value, line 6 column 38,
# reported once, with no other NG error and no generator crash.
case_spec_error() {
  local dir=$work/spec-error log=$work/logs/spec-error.build.log
  new_project "$dir"
  write_spec | sed '6s/"tanh"/"tahn"/' >"$dir/nets.json"
  [ "$(sed -n 6p "$dir/nets.json" | cut -c38-43)" = '"tahn"' ] || fail_because "the broken spec is not as this test expects"
  write_class >"$dir/TinyNet.cs"
  write_program >"$dir/Program.cs"
  if build "$dir"; then fail_because "dotnet build succeeded despite the misspelled activation"; fi
  local main ng
  main=$(main_part "$log")
  ! grep -qE 'CS8785|AD0001' <<<"$main" || fail_because "the generator crashed: $(grep -m1 -E 'CS8785|AD0001' <<<"$main")"
  ng=$(grep -oE '[^/ ]+\([0-9]+,[0-9]+\): error NG[0-9]+' <<<"$main" || true)
  [ "$ng" = "nets.json(6,38): error NG2005" ] \
    || fail_because "expected exactly 'nets.json(6,38): error NG2005', got: $(tr '\n' ' ' <<<"${ng:-no NG error}")"
}

# A project that already lists nets.json itself and has a second spec, other.nets.json, that it does not list:
# nets.json is read once (twice would be NG3005, network defined twice) and other.nets.json is read too.
case_listed_spec() {
  local dir=$work/listed-spec
  new_project "$dir"
  sed -i 's|</Project>|  <ItemGroup>\n    <AdditionalFiles Include="nets.json" />\n  </ItemGroup>\n</Project>|' "$dir/TinyApp.csproj"
  write_spec >"$dir/nets.json"
  echo '{ "networks": { "other": { "shape": "3-4-2", "activation": "relu" } } }' >"$dir/other.nets.json"
  write_class >"$dir/TinyNet.cs"
  printf 'using NetGen;\n\n[Network("other")]\ninternal sealed partial class OtherNet;\n' >"$dir/OtherNet.cs"
  cat >"$dir/Program.cs" <<'EOF'
using var tiny = new TinyNet();
using var other = new OtherNet();
Console.WriteLine($"{tiny.NetworkName} {TinyNet.ParameterCount}, {other.NetworkName} {OtherNet.ParameterCount}");
EOF
  build_clean "$dir"
  local out
  out=$(dotnet run --project "$dir" -c Release --no-build 2>&1) || fail_because "the program failed: $out"
  [ "$out" = "tiny 354, other 26" ] || fail_because "expected 'tiny 354, other 26', got '$out'"
}

# Every kind of layer, activation, loss, optimizer and initializer, in public classes of a class library that also
# asks for XML documentation (CS1591 on undocumented public members) and code style in the build, with code that uses
# the runtime's public API (training loop, evaluation, model files, probabilities, tensors, MathNet views).
case_library() {
  local dir=$work/library
  new_project "$dir" classlib
  rm -f "$dir/Class1.cs"
  sed -i 's|</Project>|  <PropertyGroup>\n    <GenerateDocumentationFile>true</GenerateDocumentationFile>\n    <EnforceCodeStyleInBuild>true</EnforceCodeStyleInBuild>\n  </PropertyGroup>\n</Project>|' "$dir/TinyApp.csproj"
  write_spec >"$dir/nets.json"
  cat >"$dir/features.nets.json" <<'EOF'
{
  "networks": {
    "wide": {
      "input": 4,
      "layers": [
        { "name": "hidden", "units": 9, "activation": "leaky_relu", "alpha": 0.1, "init": "kaiming_uniform" },
        { "type": "dropout", "rate": 0.2 },
        { "units": 5, "activation": "gelu", "init": "xavier_uniform" },
        { "units": 3, "activation": "sigmoid", "bias": false, "init": "kaiming_normal" },
        { "units": 1, "init": "zeros" }
      ],
      "loss": "binary_cross_entropy",
      "optimizer": { "type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.0001 }
    },
    "regression": { "shape": "3-17-2", "activation": "softplus", "loss": "mse", "optimizer": { "type": "adamw" } },
    "plain": { "input": 3, "layers": [ { "units": 4, "activation": "tanh" }, { "units": 2 } ], "optimizer": { "type": "sgd", "lr": 0.1 } }
  }
}
EOF
  cat >"$dir/Networks.cs" <<'EOF'
using NetGen;

namespace Sample.Networks;

/// <summary>The README's network.</summary>
[Network("tiny")]
public sealed partial class TinyNet;

/// <summary>Dropout, binary cross-entropy and SGD with Nesterov momentum.</summary>
[Network("wide")]
public sealed partial class WideNet;

/// <summary>Mean squared error and AdamW.</summary>
[Network("regression")]
public partial class RegressionNet;

/// <summary>Plain SGD.</summary>
[Network("plain")]
internal sealed partial class PlainNet;
EOF
  cat >"$dir/Tour.cs" <<'EOF'
using System.Globalization;
using NetGen;

namespace Sample.Networks;

/// <summary>The runtime's public API, used as a program would.</summary>
public static class Tour
{
    /// <summary>Trains and evaluates on a few two-pixel images, saves and loads the model, and steps the other networks.</summary>
    /// <param name="path">Where the model file is written.</param>
    /// <returns>One line of results.</returns>
    public static string Run(string path)
    {
        var random = new RandomSource(3);
        var pixels = new byte[100 * 2];
        var labels = new byte[100];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)random.NextInt(2);
            pixels[2 * i] = (byte)((labels[i] * 200) + random.NextInt(50));
            pixels[(2 * i) + 1] = (byte)random.NextInt(256);
        }
        var data = new ImageDataset(pixels, labels, rows: 1, columns: 2, classCount: 2);
        using var tiny = new TinyNet(seed: 5, maxBatchSize: 16, threads: 2);
        IReadOnlyList<EpochResult> epochs = TrainingLoop.Train(tiny, data, new TrainingOptions { Epochs = 2, BatchSize = 16 });
        EvaluationResult result = Evaluator.Evaluate(tiny, data);
        ModelFile.Save(path, tiny);
        using var copy = new TinyNet();
        Checkpoint checkpoint = ModelFile.Load(path, copy);
        float[] probabilities = copy.Probabilities([0.5f, 0.5f]);
        int values = 0;
        foreach (NamedTensor tensor in tiny.Parameters) values += tensor.Values.Length;
        float weight = tiny.Fc1Weight[0, 0] + tiny.Fc1Bias[0];
        using var wide = new WideNet();
        float bce = wide.TrainStep(new float[2 * WideNet.InputSize], [1f, 0f]);
        using var regression = new RegressionNet();
        float mse = regression.TrainStep(new float[2 * RegressionNet.InputSize], [1f, 0f, 0f, 1f]);
        using var plain = new PlainNet();
        var logits = new float[PlainNet.OutputSize];
        plain.Forward(new float[PlainNet.InputSize], logits);
        return string.Create(CultureInfo.InvariantCulture,
            $"{epochs.Count} {result} {checkpoint.Step} {probabilities[0]} {values} {weight} {bce} {mse} {plain.Classify(logits)}");
    }
}
EOF
  build_clean "$dir"
}

# The package in a project without any spec file: nothing is added (a listed missing file would be CS2001).
case_no_spec() {
  local dir=$work/no-spec
  new_project "$dir"
  echo 'Console.WriteLine(typeof(NetGen.INetwork).FullName);' >"$dir/Program.cs"
  build_clean "$dir"
}

# --- main ----------------------------------------------------------------------------------------------------------

# The registry the machine uses, for every package but NetGen: its name (so credentials configured for it still apply)
# and URL, from `dotnet nuget list source` run outside any project.
registry_name=registry
registry_url=${NETGEN_REGISTRY_URL:-}
if [ -z "$registry_url" ]; then
  read -r registry_name registry_url < <(cd "$work" && dotnet nuget list source 2>/dev/null | awk '
    /^ *[0-9]+\. .*\[Enabled\]$/ { name = $2; next }
    name != "" && $1 ~ /^https?:\/\// { print name, $1; exit }
    { name = "" }') || true
  registry_url=${registry_url:-https://api.nuget.org/v3/index.json}
  registry_name=${registry_name:-registry}
fi

insecure=""
[[ "$registry_url" == http://* ]] && insecure=' allowInsecureConnections="true"'

# NetGen* only from the local feed, everything else only from the registry; a private package folder, so no NetGen
# (or anything else) extracted by an earlier run is reused.
cat >"$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="netgen-local" value="$feed" />
    <add key="$registry_name" value="$registry_url"$insecure />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="netgen-local">
      <package pattern="NetGen*" />
    </packageSource>
    <packageSource key="$registry_name">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
EOF

run_case pack case_pack
version=$(cat "$work/version" 2>/dev/null || true)
export NUGET_PACKAGES=$work/packages
run_case train case_train
run_case spec-error case_spec_error
run_case listed-spec case_listed_spec
run_case library case_library
run_case no-spec case_no_spec

elapsed=$((SECONDS - start))
detail=""
[ -s "$work/accuracy" ] && detail="; train: $(cat "$work/accuracy")"
if [ "$failed" -eq 0 ]; then
  summary="all $passed cases passed"
else
  summary="$failed of $((passed + failed)) cases failed"
fi
if [ "$failed" -eq 0 ] && [ "${NETGEN_KEEP_TEMP:-0}" != 1 ]; then
  rm -rf "$work"
  echo "consumer-test: $summary in ${elapsed} s (package NetGen $version$detail)"
else
  echo "consumer-test: $summary in ${elapsed} s (package NetGen ${version:-none}$detail); files and logs kept in $work"
fi
[ "$failed" -eq 0 ]
