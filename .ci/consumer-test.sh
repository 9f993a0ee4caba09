#!/usr/bin/env bash
# NetGen as a user gets it: packs the repository into a local feed, then makes brand-new projects (`dotnet new console`,
# and one `dotnet new classlib`) that reference the NetGen package from that feed, as someone following the README
# would (their files are in tests/Consumer), and builds them with warnings as errors, nullable reference types and every analyzer rule
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
# The projects' files: tests/Consumer/tiny is the README's network and a program training it, the other folders each case's own.
fixtures=$PWD/tests/Consumer
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

# build DIR [ARGS...]: dotnet build (with ARGS) into logs/NAME.build.log; returns dotnet's exit code.
build() {
  local dir=$1
  shift
  dotnet build "$dir" -c Release -tl:off -nodeReuse:false -p:UseSharedCompilation=false "$@" >"$work/logs/$(basename "$dir").build.log" 2>&1
}

# build_clean DIR [ARGS...]: the build must succeed without a single warning.
build_clean() {
  local dir=$1 log
  log=$work/logs/$(basename "$dir").build.log
  build "$@" || fail_because "dotnet build failed: $(first_problem "$log")"
  local main
  main=$(main_part "$log")
  if grep -qE ': (warning|error) [A-Z]+[0-9]+' <<<"$main"; then
    fail_because "dotnet build reported: $(first_problem "$log")"
  fi
}

# copy_fixture NAME DIR: the files of tests/Consumer/NAME into the project folder DIR (replacing the template's).
copy_fixture() {
  cp "$fixtures/$1"/* "$2/"
}

# --- cases -----------------------------------------------------------------------------------------------------

# `dotnet pack -c Release` at the root makes exactly two packages: NetGen, holding runtime, generator and props and
# depending on Google.Protobuf, MathNet.Numerics and Sep only; and NetGen.Cli (src/Cli, the command line), depending on
# NetGen and its console and chart libraries. Its own artifacts folder: nothing of the work tree's bin/ and obj/ is used.
case_pack() {
  local log=$work/logs/pack.log out=$work/artifacts/package/release
  dotnet pack -c Release --artifacts-path "$work/artifacts" -tl:off -nodeReuse:false -p:UseSharedCompilation=false >"$log" 2>&1 \
    || fail_because "dotnet pack failed: $(first_problem "$log")"
  local packages
  packages=$(cd "$out" 2>/dev/null && ls -- *.nupkg *.snupkg 2>/dev/null || true)
  [ "$(printf '%s\n' "$packages" | grep -c .)" -eq 2 ] || fail_because "expected two packages, got: $(tr '\n' ' ' <<<"$packages")"
  local main cli
  main=$(grep -E '^NetGen\.[0-9]' <<<"$packages" || true)
  cli=$(grep -E '^NetGen\.Cli\.[0-9]' <<<"$packages" || true)
  [[ "$main" =~ ^NetGen\.([0-9][^/]*)\.nupkg$ ]] || fail_because "expected NetGen.VERSION.nupkg, got $(tr '\n' ' ' <<<"$packages")"
  [ "$cli" = "NetGen.Cli.${BASH_REMATCH[1]}.nupkg" ] || fail_because "expected NetGen.Cli.${BASH_REMATCH[1]}.nupkg, got $(tr '\n' ' ' <<<"$packages")"
  local pkg=$out/$main entries deps
  entries=$(zip_list "$pkg")
  for entry in lib/net10.0/NetGen.Runtime.dll lib/net10.0/NetGen.Runtime.xml analyzers/dotnet/cs/NetGen.Generator.dll \
               buildTransitive/NetGen.props README.md NetGen.nuspec; do
    grep -qxF "$entry" <<<"$entries" || fail_because "the package lacks $entry"
  done
  ! grep -qi 'codeanalysis' <<<"$entries" || fail_because "the package holds Roslyn: $(grep -i codeanalysis <<<"$entries" | head -1)"
  deps=$(zip_entry "$pkg" NetGen.nuspec | grep -oE '<dependency id="[^"]+"' | sed -E 's/.*id="//; s/"$//' | sort -u | tr '\n' ' ')
  # Grpc.Tools (protoc for onnx.proto) and the API analyzer are build tools only: PrivateAssets, not dependencies.
  [ "$deps" = "Google.Protobuf MathNet.Numerics Sep " ] || fail_because "dependencies should be Google.Protobuf, MathNet.Numerics and Sep only, are: ${deps:-none}"
  local cli_pkg=$out/$cli
  entries=$(zip_list "$cli_pkg")
  for entry in lib/net10.0/NetGen.Cli.dll lib/net10.0/NetGen.Cli.xml README.md DejaVuSans-LICENSE.txt NetGen.Cli.nuspec; do
    grep -qxF "$entry" <<<"$entries" || fail_because "the NetGen.Cli package lacks $entry"
  done
  deps=$(zip_entry "$cli_pkg" NetGen.Cli.nuspec | grep -oE '<dependency id="[^"]+"' | sed -E 's/.*id="//; s/"$//' | sort -u | tr '\n' ' ')
  [ "$deps" = "NetGen ScottPlot SkiaSharp.NativeAssets.Linux.NoDependencies Spectre.Console System.CommandLine " ] \
    || fail_because "NetGen.Cli's dependencies should be NetGen, ScottPlot, SkiaSharp.NativeAssets.Linux.NoDependencies, Spectre.Console and System.CommandLine, are: ${deps:-none}"
  cp "$pkg" "$cli_pkg" "$feed/"
  echo "${BASH_REMATCH[1]}" >"$work/version"
}

# The package holds nets.schema.json at its root, the repository's file as is, whose "$id" is the raw file on the main
# branch of Directory.Build.props' RepositoryUrl (a GitHub URL): the URL the READMEs tell users to put in "$schema".
case_schema() {
  [ -n "$version" ] || fail_because "no package to look into (the pack case failed)"
  local pkg=$feed/NetGen.$version.nupkg entries repo_url expected id
  entries=$(zip_list "$pkg")
  grep -qxF nets.schema.json <<<"$entries" || fail_because "the package lacks nets.schema.json at its root"
  zip_entry "$pkg" nets.schema.json >"$work/nets.schema.json"
  cmp -s "$work/nets.schema.json" nets.schema.json || fail_because "the package's nets.schema.json differs from the repository's"
  repo_url=$(sed -nE 's|.*<RepositoryUrl>(.*)</RepositoryUrl>.*|\1|p' Directory.Build.props)
  [[ "$repo_url" =~ ^https://github\.com/([^/]+/[^/]+)$ ]] || fail_because "RepositoryUrl is not a GitHub repository URL: '$repo_url'"
  expected="https://raw.githubusercontent.com/${BASH_REMATCH[1]}/main/nets.schema.json"
  id=$(sed -nE 's/^  "\$id": "([^"]*)",?$/\1/p' "$work/nets.schema.json")
  [ "$id" = "$expected" ] || fail_because "the packed schema's \$id is '${id:-missing}', expected '$expected'"
}

# The user's path: new console project, the package, nets.json, the partial class, the README's training loop.
# Builds without a warning under the strictest settings, runs, and must classify the spirals well above chance.
case_train() {
  local dir=$work/train
  new_project "$dir"
  copy_fixture tiny "$dir"
  build_clean "$dir"
  local run_log=$work/logs/train.run.log
  dotnet run --project "$dir" -c Release --no-build >"$run_log" 2>&1 \
    || fail_because "the program failed: $(tail -n 1 "$run_log")"
  local accuracy
  accuracy=$(sed -nE 's/^Accuracy: ([0-9.]+)% .*/\1/p' "$run_log")
  [ -n "$accuracy" ] || fail_because "the program printed no accuracy line; see $run_log"
  awk -v a="$accuracy" 'BEGIN { exit !(a >= 90) }' || fail_because "test accuracy $accuracy% is below 90% (chance is 50%)"
  grep '^Accuracy:' "$run_log" >"$work/accuracy"
  # The package's ONNX export (Google.Protobuf, a package dependency) works in the user's program.
  grep -qE '^Exported tiny\.onnx \([0-9]+ bytes\)$' "$run_log" || fail_because "the program did not export tiny.onnx; see $run_log"
}

# A misspelled activation in nets.json: dotnet build fails with NG2005 at the misspelled value, line 6 column 38,
# reported once, with no other NG error, no generator crash, and no other error at all: the program uses TinyNet
# (constructor, InputSize, as INetwork), which the generator still gives its members (a stub), so no C# error follows.
case_spec_error() {
  local dir=$work/spec-error log=$work/logs/spec-error.build.log
  new_project "$dir"
  copy_fixture tiny "$dir"
  copy_fixture spec-error "$dir"
  [ "$(sed -n 6p "$dir/nets.json" | cut -c38-43)" = '"tahn"' ] || fail_because "the broken spec is not as this test expects"
  if build "$dir"; then fail_because "dotnet build succeeded despite the misspelled activation"; fi
  local main ng
  main=$(main_part "$log")
  ! grep -qE 'CS8785|AD0001' <<<"$main" || fail_because "the generator crashed: $(grep -m1 -E 'CS8785|AD0001' <<<"$main")"
  ng=$(grep -oE '[^/ ]+\([0-9]+,[0-9]+\): error NG[0-9]+' <<<"$main" || true)
  [ "$ng" = "nets.json(6,38): error NG2005" ] \
    || fail_because "expected exactly 'nets.json(6,38): error NG2005', got: $(tr '\n' ' ' <<<"${ng:-no NG error}")"
  only_ng_errors "$main"
}

# only_ng_errors TEXT: TEXT (a build log's main part) has no error but NetGen's (no C# error after an NG error).
only_ng_errors() {
  local other
  other=$(grep -E ': error [A-Z]+[0-9]+' <<<"$1" | grep -vE ': error NG[0-9]+' | head -1 || true)
  [ -z "$other" ] || fail_because "an error besides NetGen's: $(sed -E 's/ \[[^]]*\]$//; s#^[^ ]*/##' <<<"$other")"
}

# Builds after changing nets.json without --no-incremental: each build must see the spec as it is now.
# (a) a hidden layer widened: the program prints the new parameter count; (b) nets.json deleted: the build fails with
# NG3002 (and no C# error), where the compiler used to be skipped and the old network stayed; (c) the first nets.json back,
# with its old timestamp (older than the assembly, so only the compile cache's hash can tell): builds and prints the
# first count again.
case_incremental() {
  local dir=$work/incremental log=$work/logs/incremental.build.log out
  new_project "$dir"
  copy_fixture tiny "$dir"
  copy_fixture incremental "$dir"
  build_clean "$dir"
  out=$(dotnet run --project "$dir" -c Release --no-build 2>&1) || fail_because "the program failed: $out"
  # 2-16-16-2: (2*16 + 16) + (16*16 + 16) + (16*2 + 2) = 354
  [ "$out" = "tiny 354" ] || fail_because "first build: expected 'tiny 354', got '$out'"

  # (a) The first hidden layer 16 -> 17 units: (2*17 + 17) + (17*16 + 16) + (16*2 + 2) = 373.
  sed -i '6s/"units": 16/"units": 17/' "$dir/nets.json"
  grep -q '"units": 17' "$dir/nets.json" || fail_because "nets.json is not as this test expects"
  build_clean "$dir"
  out=$(dotnet run --project "$dir" -c Release --no-build 2>&1) || fail_because "the program failed: $out"
  [ "$out" = "tiny 373" ] || fail_because "after widening a layer in nets.json: expected 'tiny 373', got '$out' (a stale build)"

  # (b) No nets.json.
  rm "$dir/nets.json"
  if build "$dir"; then fail_because "dotnet build succeeded after nets.json was deleted (a stale build)"; fi
  local main
  main=$(main_part "$log")
  grep -qE 'error NG3002' <<<"$main" || fail_because "after deleting nets.json: expected NG3002, got: $(first_problem "$log")"
  only_ng_errors "$main"

  # (c) The original nets.json back, timestamp and all.
  cp -p "$fixtures/tiny/nets.json" "$dir/nets.json"
  build_clean "$dir"
  out=$(dotnet run --project "$dir" -c Release --no-build 2>&1) || fail_because "the program failed: $out"
  [ "$out" = "tiny 354" ] || fail_because "after restoring nets.json: expected 'tiny 354', got '$out' (a stale build)"
}

# A project that already lists nets.json itself and has a second spec, other.nets.json, that it does not list:
# nets.json is read once (twice would be NG3005, network defined twice) and other.nets.json is read too.
case_listed_spec() {
  local dir=$work/listed-spec
  new_project "$dir"
  sed -i 's|</Project>|  <ItemGroup>\n    <AdditionalFiles Include="nets.json" />\n  </ItemGroup>\n</Project>|' "$dir/TinyApp.csproj"
  copy_fixture tiny "$dir"
  copy_fixture listed-spec "$dir"
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
  cp "$fixtures/tiny/nets.json" "$dir/"
  copy_fixture library "$dir"
  build_clean "$dir"
}

# The package in a project without any spec file: nothing is added (a listed missing file would be CS2001).
case_no_spec() {
  local dir=$work/no-spec
  new_project "$dir"
  copy_fixture no-spec "$dir"
  build_clean "$dir"
}

# NetGen.Cli: a console project with its own network (tests/Consumer/cli: nets.json, a [Network] class, a CSV of 48
# rows) whose Program.cs is the one line `return NetGen.Cli.NetGenCli.Run(args);`. Builds without a warning, then
# trains on the CSV (no --net: the program's only network), evaluates, predicts and exports to ONNX, each exiting 0
# with its line.
case_cli() {
  local dir=$work/cli
  new_project "$dir"
  (cd "$dir" && dotnet add package NetGen.Cli --version "$version") >"$work/logs/cli.add-cli.log" 2>&1 \
    || fail_because "dotnet add package NetGen.Cli --version $version failed: $(first_problem "$work/logs/cli.add-cli.log")"
  copy_fixture cli "$dir"
  build_clean "$dir"
  local log=$work/logs/cli.run.log
  # cli_run EXPECTED ARGS...: runs the program in its folder; it must exit 0 and print a line matching EXPECTED.
  cli_run() {
    local expected=$1; shift
    (cd "$dir" && dotnet run -c Release --no-build -- "$@") >"$log" 2>&1 \
      || fail_because "'$*' failed: $(tail -n 1 "$log")"
    grep -qE "$expected" "$log" || fail_because "'$*' printed no line matching '$expected'; see $log"
    cp "$log" "$work/logs/cli.$1.log"
  }
  cli_run '^Test accuracy: |^Epoch 30/30 ' train --data data.csv --save model.safetensors
  [ -s "$dir/model.safetensors" ] || fail_because "train --save wrote no model.safetensors"
  cli_run '^Test accuracy: [0-9.]+% \([0-9]+/48\)$' eval --load model.safetensors --data data.csv
  cli_run '^row 48: (setosa|versicolor|virginica) \(' predict --load model.safetensors --csv data.csv
  cli_run '^Wrote model.onnx: "flowers" as an ONNX model' export --load model.safetensors --onnx model.onnx
  [ -s "$dir/model.onnx" ] || fail_because "export --onnx wrote no model.onnx"
  cli_run 'TinyApp train' train --help
}

# The first hour as the README tells it: the template package (templates/NetGen.Templates, packed here with the local
# feed's version) installed in a private dotnet home, a project made from it, built with warnings as errors, run with no
# arguments (train with validation, save, evaluate, predict) reaching the validation accuracy its README states, and
# run with arguments as NetGen's command line (--help, eval of the saved model).
case_template() {
  local dir=$work/template home=$work/dotnet-home log=$work/logs/template
  [ -n "$version" ] || fail_because "no package to reference (the pack case failed)"
  dotnet pack templates/NetGen.Templates -c Release -o "$feed" -p:Version="$version" -tl:off -nodeReuse:false >"$log.pack.log" 2>&1 \
    || fail_because "dotnet pack templates/NetGen.Templates failed: $(first_problem "$log.pack.log")"
  mkdir -p "$home"
  DOTNET_CLI_HOME=$home dotnet new install "$feed/NetGen.Templates.$version.nupkg" >"$log.install.log" 2>&1 \
    || fail_because "dotnet new install NetGen.Templates failed; see $log.install.log"
  DOTNET_CLI_HOME=$home dotnet new netgen-classifier -n Demo -o "$dir" --NetGenVersion "$version" >"$log.new.log" 2>&1 \
    || fail_because "dotnet new netgen-classifier failed; see $log.new.log"
  grep -q "\"\$schema\"" "$dir/nets.json" || fail_because "the template's nets.json has no \$schema line"
  build_clean "$dir" -p:TreatWarningsAsErrors=true
  (cd "$dir" && dotnet run -c Release --no-build) >"$log.run.log" 2>&1 || fail_because "dotnet run (no arguments) failed; see $log.run.log"
  # The accuracy the template's README states (templates/NetGen.Templates/README.md): 98.25% at the best epoch.
  local stated best
  stated=$(grep -oE 'reaches [0-9.]+% validation accuracy' templates/NetGen.Templates/README.md | grep -oE '[0-9.]+' | head -1)
  best=$(grep -oE '^Best epoch [0-9]+ of [0-9]+: validation loss [0-9.]+, accuracy [0-9.]+%' "$log.run.log" | grep -oE '[0-9.]+%$' | tr -d '%')
  [ -n "$stated" ] || fail_because "templates/NetGen.Templates/README.md states no validation accuracy"
  [ -n "$best" ] || fail_because "no 'Best epoch' line in the run's output; see $log.run.log"
  awk -v b="$best" -v s="$stated" 'BEGIN { exit !(b + 0 >= s + 0) }' || fail_because "validation accuracy $best% is below the stated $stated%"
  grep -qE '^Test accuracy: [0-9.]+% \([0-9]+/114\)$' "$log.run.log" || fail_because "no test accuracy line; see $log.run.log"
  [ -s "$dir/model.safetensors" ] || fail_because "the run saved no model.safetensors"
  (cd "$dir" && dotnet run -c Release --no-build -- --help) >"$log.help.log" 2>&1 || fail_because "dotnet run -- --help failed; see $log.help.log"
  grep -q 'train' "$log.help.log" || fail_because "--help does not list the train command; see $log.help.log"
  (cd "$dir" && dotnet run -c Release --no-build -- eval --load model.safetensors --data data/test.csv) >"$log.eval.log" 2>&1 \
    || fail_because "dotnet run -- eval failed; see $log.eval.log"
  grep -qE '^Test accuracy: [0-9.]+% \([0-9]+/114\)$' "$log.eval.log" || fail_because "eval printed no test accuracy; see $log.eval.log"
  echo "template: validation $best% (stated $stated%), $(grep -E '^Test accuracy' "$log.run.log")" >"$work/template-result"
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

# NetGen* (NetGen, NetGen.Cli) only from the local feed, everything else only from the registry; a private package folder, so no NetGen
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
run_case "schema in package" case_schema
run_case train case_train
run_case spec-error case_spec_error
run_case incremental case_incremental
run_case listed-spec case_listed_spec
run_case library case_library
run_case no-spec case_no_spec
run_case cli case_cli
run_case template case_template

elapsed=$((SECONDS - start))
detail=""
[ -s "$work/accuracy" ] && detail="; train: $(cat "$work/accuracy")"
[ -s "$work/template-result" ] && detail="$detail; $(cat "$work/template-result")"
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
