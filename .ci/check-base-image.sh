#!/usr/bin/env bash
# Prints the base image reference every tool image is built FROM, read from images/base-image.env (or the file
# given as the last argument): "<tag>@sha256:<digest>" when the digest is set.
# --release: fail (exit 1) when the digest is missing or malformed, so a release is never built on a tag-only base.
# Without --release a missing digest is a warning and the tag alone is printed (pull requests, branches).
set -euo pipefail

release=false
if [[ "${1:-}" == "--release" ]]; then
  release=true
  shift
fi
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
file="${1:-$repo/images/base-image.env}"

tag="$(sed -n 's/^BASE_IMAGE_TAG=//p' "$file")"
digest="$(sed -n 's/^BASE_IMAGE_DIGEST=//p' "$file")"
if [[ -z "$tag" || "$tag" == *@* ]]; then
  echo "check-base-image: $file: BASE_IMAGE_TAG must be a tag reference without a digest" >&2
  exit 1
fi
if [[ -n "$digest" && ! "$digest" =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "check-base-image: $file: BASE_IMAGE_DIGEST '$digest' is not sha256:<64 hex>" >&2
  exit 1
fi
if [[ -z "$digest" ]]; then
  if [[ "$release" == "true" ]]; then
    echo "check-base-image: $file: BASE_IMAGE_DIGEST is empty; a release is not built FROM a tag-only base (see images/README.md)" >&2
    exit 1
  fi
  echo "check-base-image: warning: BASE_IMAGE_DIGEST is empty; building FROM the tag $tag" >&2
  echo "$tag"
  exit 0
fi
echo "$tag@$digest"
