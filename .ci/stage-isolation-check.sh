#!/usr/bin/env bash
# Proves that each published single-stage tool holds only its own stage (issue 18): a stage tool that links every
# stage again (e.g. a static initializer over all of StageCatalog) is ~25 MB instead of about half of that.
# Usage: stage-isolation-check.sh <folder with <tool>/<tool> binaries>   (aot-check.sh runs it after publishing)
# - every odh-<stage> binary contains its own stage's description and none of another stage's; the descriptions
#   are read from the generated image labels (images/odh-*/Dockerfile, drift-tested against the commands);
# - odh-transform, which never contacts a cluster, holds no HTTP client (odh-apply, which does, must hold one);
# - odh-transform is at most 60% of the umbrella odh-migrate, which keeps every stage.
# .NET keeps string literals as UTF-16, so the binaries are searched with `strings -e l`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: stage-isolation-check.sh <published tools folder>}"
failures=()

command -v strings >/dev/null || { echo "stage-isolation-check: 'strings' (binutils) is required" >&2; exit 1; }

# The first 40 characters of a stage's description: long enough to be unique, short of any line wrapping.
marker() {
  sed -n 's/.*org\.opencontainers\.image\.description="\(.\{40\}\).*/\1/p' "$repo/images/$1/Dockerfile"
}

# 0 when the binary holds the UTF-16 text (grep reads it all: -q would end strings early, failing the pipe).
holds() {
  strings -e l -n 8 "$1" | grep -F -- "$2" >/dev/null
}

mapfile -t stage_tools < <(find "$repo/src" -mindepth 1 -maxdepth 1 -type d -name 'odh-*' ! -name odh-migrate -printf '%f\n' | sort)
for tool in "${stage_tools[@]}"; do
  binary="$out/$tool/$tool"
  [[ -x "$binary" ]] || { failures+=("$tool: no binary at $binary"); continue; }
  own="$(marker "$tool")"
  [[ -n "$own" ]] || { failures+=("$tool: no description in images/$tool/Dockerfile"); continue; }
  holds "$binary" "$own" || failures+=("$tool: its own description '$own' is not in the binary (the check cannot see strings)")
  for other in "${stage_tools[@]}"; do
    [[ "$other" == "$tool" ]] && continue
    if holds "$binary" "$(marker "$other")"; then
      failures+=("$tool: holds the $other command ('$(marker "$other")...'); a stage tool must link only its own stage")
    fi
  done
done

# SocketsHttpHandler's configuration switch: present exactly when an HTTP client is linked in.
http_marker="DOTNET_SYSTEM_NET_HTTP_SOCKETSHTTPHANDLER"
if [[ -x "$out/odh-transform/odh-transform" && -x "$out/odh-apply/odh-apply" ]]; then
  holds "$out/odh-apply/odh-apply" "$http_marker" || failures+=("odh-apply: no HTTP client marker found (the check cannot see it)")
  holds "$out/odh-transform/odh-transform" "$http_marker" && failures+=("odh-transform: holds an HTTP client it never uses")
fi

if [[ -x "$out/odh-transform/odh-transform" && -x "$out/odh-migrate/odh-migrate" ]]; then
  transform=$(stat -c %s "$out/odh-transform/odh-transform")
  migrate=$(stat -c %s "$out/odh-migrate/odh-migrate")
  if (( transform * 100 > migrate * 60 )); then
    failures+=("odh-transform is $transform bytes, more than 60% of odh-migrate ($migrate bytes): it links more than its stage")
  fi
  echo "stage-isolation-check: odh-transform is $(( transform * 100 / migrate ))% of odh-migrate"
fi

if [[ ${#failures[@]} -gt 0 ]]; then
  echo "stage-isolation-check: FAILED" >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "stage-isolation-check: OK (${#stage_tools[@]} stage tools hold only their own stage)"
