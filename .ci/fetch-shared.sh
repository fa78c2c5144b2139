#!/usr/bin/env bash
# Lays out the upstream files the tests and linters read: downloads every file listed in .ci/shared-pins.txt from
# its repository at the pinned commit and checks its sha256. Files already present are only checked.
#
# Where to:   <repo>/../shared by default (the layout CI uses); with --cache, the clone's git-ignored .shared-cache/
#             (what the test build fetches into when ../shared is absent); ODH_SHARED_DIR overrides both.
#             A file that no longer matches its pin is reported; in the cache (--cache) it is fetched again instead.
# From where: https://raw.githubusercontent.com/<repo>/<commit>/<path>; ODH_SHARED_BASE_URL replaces the
#             https://raw.githubusercontent.com part (any URL curl reads, file:// included, so a local mirror works).
#
# Safe to run concurrently and to interrupt: each download goes to a private .part file, is checked, and only then
# renamed into place, so a file at its final path is always complete and verified. Stops downloading at the first
# failure (offline, every further try would fail the same way). Exits non-zero, with one summary line naming how
# many files are missing and why, on any download failure or checksum mismatch.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$repo/../shared"
cache=0
if [[ "${1:-}" == "--cache" ]]; then
  shared="$repo/.shared-cache"
  cache=1
elif [[ -n "${1:-}" ]]; then
  echo "usage: fetch-shared.sh [--cache]" >&2
  exit 2
fi
shared="${ODH_SHARED_DIR:-$shared}"
base="${ODH_SHARED_BASE_URL:-https://raw.githubusercontent.com}"
pins="$repo/.ci/shared-pins.txt"
total=0 fetched=0 missing=0 mismatched=0
first_problem=""
download_failed=0

# sha256sum on Linux, shasum on macOS.
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1
}

mkdir -p "$shared"
# Two fetches at once (two test builds, a build and this script) would both succeed thanks to the atomic renames;
# the lock only saves the second one from downloading everything again.
if [[ -w "$shared" ]] && command -v flock >/dev/null 2>&1; then
  exec 9>>"$shared/.fetch-shared.lock"
  flock 9
fi

while read -r local source commit upstream sha256; do
  [[ -z "$local" || "$local" == \#* ]] && continue
  total=$((total + 1))
  target="$shared/$local"
  if [[ -f "$target" ]]; then
    actual="$(sha256_of "$target")"
    [[ "$actual" == "$sha256" ]] && continue
    if (( ! cache )); then
      # Someone else's copy: report it, never overwrite it.
      mismatched=$((mismatched + 1))
      [[ -n "$first_problem" ]] || first_problem="sha256 mismatch for $local in $shared (expected $sha256, got $actual)"
      continue
    fi
    # The cache's own copy of an older pin: drop it, so that it is fetched again or reported missing.
    rm -f "$target"
  fi
  if (( download_failed )); then
    missing=$((missing + 1))
    continue
  fi
  mkdir -p "$(dirname "$target")"
  part="$target.$$.part"
  url="$base/$source/$commit/$upstream"
  if ! error="$(curl -fsSL --retry 2 --connect-timeout 15 -o "$part" "$url" 2>&1)"; then
    rm -f "$part"
    download_failed=1
    missing=$((missing + 1))
    error="${error##*$'\n'}"
    [[ -n "$first_problem" ]] || first_problem="cannot download $url (${error:-curl failed})"
    continue
  fi
  actual="$(sha256_of "$part")"
  if [[ "$actual" != "$sha256" ]]; then
    rm -f "$part"
    mismatched=$((mismatched + 1))
    [[ -n "$first_problem" ]] || first_problem="sha256 mismatch for $local from $url (expected $sha256, got $actual)"
    continue
  fi
  mv -f "$part" "$target"
  fetched=$((fetched + 1))
done < "$pins"

if (( missing + mismatched > 0 )); then
  echo "fetch-shared: of $total pinned file(s) in $shared, $missing could not be fetched and $mismatched failed their sha256 check; first problem: $first_problem" >&2
  exit 1
fi
echo "fetch-shared: $total file(s) checked, $fetched downloaded, 0 failures (into $shared)"
