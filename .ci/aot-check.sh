#!/usr/bin/env bash
# Proves that every tool publishes as Native AOT with zero warnings and that each binary runs:
# --help for all of them, then discover -> export -> transform offline on samples/serverless-basic.yaml, then
# the whole chain (and dsc-finalize's dry run) live, every stage through its own binary, against the AOT
# odh-migrate simulator serving the same sample.
# Prints publish duration, binary sizes and --help start-up times (benchmarks, not timed assertions), and checks
# with stage-isolation-check.sh that each stage tool holds only its own stage.
# Exits non-zero on any warning, failed publish or non-zero tool exit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
out="${AOT_OUT:-$repo/out/aot}"
rid="${AOT_RID:-linux-x64}"
logs="$out/logs"
rm -rf "$out"
mkdir -p "$logs"

# Native AOT links with clang; some machines only have a versioned clang (e.g. clang-14).
extra=()
if ! command -v clang >/dev/null 2>&1; then
  versioned="$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)"
  if [[ -z "$versioned" ]]; then
    echo "aot-check: no clang on PATH; install clang (Native AOT needs it)" >&2
    exit 1
  fi
  extra+=("-p:CppCompilerAndLinker=$versioned")
fi

# zlib headers are a Native AOT link prerequisite on Linux.
if ! dpkg -s zlib1g-dev >/dev/null 2>&1; then
  echo "aot-check: installing zlib1g-dev"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  ($sudo apt-get update -qq && $sudo apt-get install -y -qq zlib1g-dev) >/dev/null
fi

mapfile -t projects < <(find src -mindepth 1 -maxdepth 1 -type d -name 'odh-*' | sort)
if [[ ${#projects[@]} -eq 0 ]]; then
  echo "aot-check: no src/odh-*/ projects found" >&2
  exit 1
fi

failures=()
started=$(date +%s)
for project in "${projects[@]}"; do
  tool="$(basename "$project")"
  log="$logs/$tool.publish.log"
  t0=$(date +%s)
  if ! dotnet publish "$project/$tool.csproj" -c Release -r "$rid" -o "$out/$tool" -nologo "${extra[@]}" >"$log" 2>&1; then
    failures+=("$tool: publish failed (see $log)")
    tail -30 "$log" >&2
    continue
  fi
  # Any compiler, trimming (IL2xxx) or AOT (IL3xxx) warning fails the check.
  if grep -E ': warning [A-Z]+[0-9]+' "$log" >/dev/null; then
    failures+=("$tool: publish produced warnings")
    grep -E ': warning [A-Z]+[0-9]+' "$log" | sort -u >&2
  fi
  echo "aot-check: published $tool in $(( $(date +%s) - t0 ))s"
done
publish_seconds=$(( $(date +%s) - started ))

# Milliseconds for one run of a command, best of five (the first run warms the page cache).
best_ms() {
  local best=999999 t0 t1 ms
  for _ in 1 2 3 4 5; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || return 1
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    (( ms < best )) && best=$ms
  done
  echo "$best"
}

printf '\n%-18s %12s %14s\n' "tool" "binary (MB)" "--help (ms)"
for project in "${projects[@]}"; do
  tool="$(basename "$project")"
  binary="$out/$tool/$tool"
  if [[ ! -x "$binary" ]]; then
    failures+=("$tool: no binary at $binary")
    continue
  fi
  if ! "$binary" --help >"$logs/$tool.help.txt" 2>&1; then
    failures+=("$tool: --help exited non-zero")
    continue
  fi
  size=$(stat -c %s "$binary")
  ms=$(best_ms "$binary" --help) || { failures+=("$tool: --help failed while timing"); continue; }
  printf '%-18s %12s %14s\n' "$tool" "$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1048576 }')" "$ms"
done

# Each stage tool links only its own stage (and odh-transform no HTTP client); see the script.
if ! bash "$repo/.ci/stage-isolation-check.sh" "$out"; then
  failures+=("stage isolation: a stage tool links more than its own stage (see above)")
fi

# One offline chain on the sample snapshot, through the AOT binaries themselves.
workspace="$(mktemp -d)"
trap 'rm -rf "$workspace"' EXIT
sample="$repo/samples/serverless-basic.yaml"
run_stage() {
  local tool="$1"; shift
  local binary="$out/$tool/$tool"
  if [[ ! -x "$binary" ]]; then
    failures+=("$tool: not published, cannot run the sample chain")
    return
  fi
  if ! "$binary" "$@" >"$logs/$tool.run.txt" 2>&1; then
    failures+=("$tool $*: exited non-zero (see $logs/$tool.run.txt)")
    cat "$logs/$tool.run.txt" >&2
  else
    echo "aot-check: $tool: $(tail -1 "$logs/$tool.run.txt")"
  fi
}
run_stage odh-discover --workspace "$workspace" --snapshot "$sample" -n fraud-detection --result-dir "$workspace/.results/discover"
run_stage odh-export --workspace "$workspace" --snapshot "$sample" --result-dir "$workspace/.results/export"
run_stage odh-transform --workspace "$workspace" --result-dir "$workspace/.results/transform"

# The live chain: odh-migrate serves the sample as an emulated API; each stage binary talks to it.
live="$workspace/live"
mkdir -p "$live"
simulator="$out/odh-migrate/odh-migrate"
sim_pid=""
if [[ -x "$simulator" ]]; then
  "$simulator" simulator --snapshot "$sample" --kubeconfig-out "$live/kubeconfig" >"$logs/simulator.txt" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 100); do [[ -s "$live/kubeconfig" ]] && break; sleep 0.1; done
fi
if [[ -s "$live/kubeconfig" ]]; then
  kc=(--kubeconfig "$live/kubeconfig")
  run_stage odh-discover --workspace "$live" "${kc[@]}" -n fraud-detection
  run_stage odh-export --workspace "$live" "${kc[@]}"
  run_stage odh-transform --workspace "$live"
  run_stage odh-apply --workspace "$live" "${kc[@]}"
  run_stage odh-validate --workspace "$live" "${kc[@]}" --timeout 60
  run_stage odh-cleanup --workspace "$live" "${kc[@]}"
  run_stage odh-dsc-finalize --workspace "$live" "${kc[@]}" --dry-run true
  run_stage odh-rollback --workspace "$live" "${kc[@]}" --dry-run true
else
  failures+=("odh-migrate simulator: no kubeconfig written (see $logs/simulator.txt)")
  cat "$logs/simulator.txt" >&2 || true
fi
[[ -n "$sim_pid" ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true

echo
echo "aot-check: publishing ${#projects[@]} tools took ${publish_seconds}s on $(nproc) cores"
if [[ ${#failures[@]} -gt 0 ]]; then
  echo "aot-check: FAILED" >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "aot-check: OK (${#projects[@]} tools, 0 warnings, sample chain ran offline and live)"
