#!/usr/bin/env bash
# Writes the release bundle: every Tekton Task, StepAction and Pipeline in one multi-document YAML, with each
# tool's default image replaced by the digest the release pushed (<repository>/<tool>@sha256:<digest>).
# Usage: release-bundle.sh <digests-file> <image-repository> <version> <output>
#   <digests-file>: one "<tool> sha256:<digest>" line per image (e.g. "odh-discover sha256:...").
# Fails when a tool has no digest, when the files' default version is not <version> (the defaults must point at
# what the release publishes), or when any default image is left unpinned.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
digests="$1"
repository="$2"
version="$3"
output="$4"
default_repository="ghcr.io/odh-migration-tasks"

mapfile -t files < <(cd "$repo" && ls tekton/task/*/*.yaml tekton/stepaction/*/*.yaml tekton/pipeline/*/*.yaml | sort)
mapfile -t tools < <(cd "$repo" && grep -ohE "$default_repository/odh-[a-z-]+:[^\"' ]+" "${files[@]}" | sed -E 's|.*/(odh-[a-z-]+):.*|\1|' | sort -u)

if [[ ${#tools[@]} -eq 0 ]]; then
  echo "release-bundle: no default image found in the Tekton files" >&2
  exit 1
fi
script=()
for tool in "${tools[@]}"; do
  digest="$(awk -v t="$tool" '$1 == t { print $2 }' "$digests")"
  if [[ ! "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    echo "release-bundle: no digest for $tool in $digests" >&2
    exit 1
  fi
  if ! (cd "$repo" && grep -qF "$default_repository/$tool:$version" "${files[@]}"); then
    echo "release-bundle: the files' default image of $tool is not $default_repository/$tool:$version; set StageDelivery.Version (and the pipelines) to $version first" >&2
    exit 1
  fi
  script+=(-e "s|$default_repository/$tool:$version|$repository/$tool@$digest|g")
done

{
  echo "# OdhMigrationTasks $version: Tekton Tasks, StepActions and Pipelines, every image pinned by digest."
  for file in "${files[@]}"; do
    echo "---"
    echo "# Source: $file"
    sed "${script[@]}" "$repo/$file"
  done
} > "$output"

if grep -nE "$default_repository/odh-[a-z-]+:" "$output" >&2; then
  echo "release-bundle: the lines above still name an image by tag" >&2
  exit 1
fi
echo "release-bundle: wrote $output (${#files[@]} files, ${#tools[@]} images pinned)"
