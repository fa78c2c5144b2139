#!/usr/bin/env bash
# Lays out <repo>/../shared for CI runs outside this workplace (GitHub Actions): downloads every file listed in
# .ci/shared-pins.txt from its repository at the pinned commit and checks its sha256. Files already present are
# only checked. Exits non-zero on any download failure or checksum mismatch.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${ODH_SHARED_DIR:-$repo/../shared}"
pins="$repo/.ci/shared-pins.txt"
failed=0
fetched=0
checked=0

while read -r local source commit upstream sha256; do
  [[ -z "$local" || "$local" == \#* ]] && continue
  target="$shared/$local"
  if [[ ! -f "$target" ]]; then
    mkdir -p "$(dirname "$target")"
    if ! curl -fsSL --retry 3 -o "$target.part" "https://raw.githubusercontent.com/$source/$commit/$upstream"; then
      echo "fetch-shared: cannot download $source@$commit:$upstream" >&2
      rm -f "$target.part"
      failed=$((failed + 1))
      continue
    fi
    mv "$target.part" "$target"
    fetched=$((fetched + 1))
  fi
  actual="$(sha256sum "$target" | cut -d' ' -f1)"
  if [[ "$actual" != "$sha256" ]]; then
    echo "fetch-shared: sha256 mismatch for $local (expected $sha256, got $actual)" >&2
    failed=$((failed + 1))
  fi
  checked=$((checked + 1))
done < "$pins"

echo "fetch-shared: $checked file(s) checked, $fetched downloaded, $failed failure(s) (into $shared)"
[[ $failed -eq 0 ]]
