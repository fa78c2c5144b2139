#!/usr/bin/env bash
# Proves the README's test command works on a fresh clone with nothing beside it. Clones this repository's HEAD into
# a temporary folder (no ../shared there), serves the pinned upstream files from a local mirror laid out like
# raw.githubusercontent.com (so no network is needed), and runs the README's test command restricted to one test
# project that reads upstream files: it must pass, with tests actually run, reading the clone's own .shared-cache/.
# Then the offline case: no cache and an unreachable source must give one clear message from the build, and only
# the tests that read upstream files fail, with that cause and no stack trace.
#
# The mirror is built from ODH_SHARED_SOURCE, else ../shared beside this clone, else this clone's .shared-cache/.
# ODH_BARE_CLONE_PROJECT picks the test project (default tests/OdhMigration.Core.Tests). Uncommitted changes are
# not part of the check: it tests what HEAD holds.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="${ODH_BARE_CLONE_PROJECT:-tests/OdhMigration.Core.Tests}"
# Two small classes of that project for the offline case: one reads upstream files, one does not.
needs_files="HardwareProfileIgnorelistTests"
needs_nothing="UpstreamFilesTests"
source="${ODH_SHARED_SOURCE:-}"
if [[ -z "$source" ]]; then
  if [[ -d "$repo/../shared" ]]; then source="$repo/../shared"; else source="$repo/.shared-cache"; fi
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "bare-clone-check: FAILED: $*" >&2; exit 1; }
started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/odh-bare-clone.XXXXXX")"
trap 'rm -rf "$work"' EXIT
clone="$work/clone" mirror="$work/mirror"

[[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ]] \
  || echo "bare-clone-check: note: uncommitted changes are not checked, only HEAD $(git -C "$repo" rev-parse --short HEAD)"

echo "== mirror of the pinned files from $source"
while read -r local owner_repo commit upstream _; do
  [[ -z "$local" || "$local" == \#* ]] && continue
  [[ -f "$source/$local" ]] || fail "$source/$local not found: cannot build the mirror"
  mkdir -p "$(dirname "$mirror/$owner_repo/$commit/$upstream")"
  cp "$source/$local" "$mirror/$owner_repo/$commit/$upstream"
done < "$repo/.ci/shared-pins.txt"

echo "== clone of HEAD $(git -C "$repo" rev-parse --short HEAD) into $clone"
git clone --quiet --no-checkout "$repo" "$clone"
git -C "$clone" checkout --quiet --detach "$(git -C "$repo" rev-parse HEAD)"
[[ ! -e "$work/shared" ]] || fail "$work/shared exists beside the clone"

echo "== a file that does not match its pin never lands in the cache"
# awk rather than "grep | grep -m1": an early-exiting reader gives the writer SIGPIPE, and pipefail turns that into 141.
first_pin="$(awk '!/^#/ && NF { print; exit }' "$clone/.ci/shared-pins.txt")"
read -r first_local first_repo first_commit first_upstream _ <<< "$first_pin"
mangled="$work/mangled"
cp -r "$mirror" "$mangled"
echo "# changed upstream" >> "$mangled/$first_repo/$first_commit/$first_upstream"
if ODH_SHARED_DIR="$work/mangled-cache" ODH_SHARED_BASE_URL="file://$mangled" bash "$clone/.ci/fetch-shared.sh" --cache; then
  fail "fetch-shared.sh accepted a file whose sha256 differs from its pin"
fi
[[ ! -e "$work/mangled-cache/$first_local" ]] || fail "the mismatching $first_local was left in the cache"
[[ -z "$(find "$work/mangled-cache" -name '*.part')" ]] || fail "a .part file was left behind"

# The README's own test command, with the solution narrowed to one project.
readme_test="$(awk '/^## Quick start/{f=1} f&&/^```sh/{b=1;next} b&&/^```/{exit} b{print}' "$clone/README.md" | sed -n 2p)"
[[ "$readme_test" == *"OdhMigrationTasks.sln"* ]] || fail "README's second quick-start command does not name OdhMigrationTasks.sln: $readme_test"
command="${readme_test/OdhMigrationTasks.sln/$project}"

echo "== online (mirror): $command"
log="$work/online.log"
set +e
(cd "$clone" && export ODH_SHARED_BASE_URL="file://$mirror" && eval "$command") > "$log" 2>&1
status=$?
set -e
grep -E '(Passed|Failed)! +- ' "$log" || true
[[ "$status" -eq 0 ]] || { tail -n 60 "$log" >&2; fail "the README test command exited $status on a fresh clone"; }
! grep -q 'UPSTREAM TEST FILES MISSING' "$log" || fail "the build reported missing upstream files although the mirror has them"
passed="$(awk '/Passed: /{for(i=1;i<=NF;i++) if($i=="Passed:"){gsub(",","",$(i+1)); print $(i+1); exit}}' "$log")"
[[ "${passed:-0}" -gt 0 ]] || fail "no test passed (did any run?)"
cached="$(find "$clone/.shared-cache" -type f ! -name '.fetch-shared.lock' | wc -l)"
pinned="$(grep -Ecv '^(#|$)' "$clone/.ci/shared-pins.txt")"
[[ "$cached" -eq "$pinned" ]] || fail "the clone's .shared-cache holds $cached files, the pins list $pinned"
[[ -z "$(git -C "$clone" status --porcelain)" ]] || fail "the run left files git does not ignore: $(git -C "$clone" status --porcelain | sed -n 1,3p)"

echo "== offline (no cache, unreachable source): $needs_files fails with one message, $needs_nothing passes"
rm -rf "$clone/.shared-cache"
log="$work/offline.log"
set +e
(cd "$clone" && export ODH_SHARED_BASE_URL="file://$work/unreachable" && \
  dotnet test "$project" --filter "FullyQualifiedName~$needs_files|FullyQualifiedName~$needs_nothing") > "$log" 2>&1
status=$?
set -e
grep -E 'UPSTREAM TEST FILES MISSING|(Passed|Failed)! +- ' "$log" || true
[[ "$status" -ne 0 ]] || fail "the offline run passed although $needs_files cannot read its files"
[[ "$(grep -c 'UPSTREAM TEST FILES MISSING' "$log")" -eq 1 ]] || fail "expected the missing-files message exactly once"
grep -q 'fetch-shared.sh --cache' "$log" || fail "the message does not name the fetch command"
summary="$(grep -E 'Failed! +- ' "$log")" || fail "no test summary in the offline run"
failed="$(grep -Eo 'Failed: +[0-9]+' <<< "$summary" | grep -Eo '[0-9]+')"
passed="$(grep -Eo 'Passed: +[0-9]+' <<< "$summary" | grep -Eo '[0-9]+')"
missing_cause="$(grep -c 'UpstreamFilesMissingException' "$log" || true)"
[[ "$failed" -gt 0 && "$missing_cause" -ge "$failed" ]] || fail "$failed failures, but only $missing_cause name UpstreamFilesMissingException"
[[ "$passed" -gt 0 ]] || fail "the tests that read no upstream file did not pass offline"
! grep -q 'Stack Trace:' "$log" || fail "a failure carries a stack trace instead of the one message"

echo "bare-clone-check: passed in $((SECONDS - started)) s"
