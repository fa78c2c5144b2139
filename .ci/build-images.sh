#!/usr/bin/env bash
# Builds every tool image for one architecture from context/<arch>/<tool>/<tool> (published by the calling job),
# and checks each against the 50 MB target (docs/performance.md) on every build, releases included.
# With PUSH=true (tags v* only) it then pushes each image by digest, with an SBOM and max-mode provenance
# attestation, and writes digests/<tool>.json; a release refuses a base image that is not pinned by digest.
# Environment: ARCH (amd64|arm64), IMAGE_REPOSITORY, VERSION, REVISION, SOURCE, PUSH (true|false).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${ARCH:?}" "${IMAGE_REPOSITORY:?}" "${VERSION:?}" "${REVISION:?}" "${SOURCE:?}"
push="${PUSH:-false}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

if [[ "$push" == "true" ]]; then
  base="$(bash "$repo/.ci/check-base-image.sh" --release)"
else
  base="$(bash "$repo/.ci/check-base-image.sh")"
fi
echo "| base | \`$base\` |" >> "$summary"

mkdir -p digests
oversized=0
for dockerfile in "$repo"/images/odh-*/Dockerfile; do
  tool="$(basename "$(dirname "$dockerfile")")"
  image="$IMAGE_REPOSITORY/$tool"
  args=(--platform "linux/$ARCH" -f "$dockerfile" --build-arg BASE_IMAGE="$base"
    --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION" --build-arg SOURCE="$SOURCE")

  # Size first, on the image as loaded (uncompressed), for every build.
  docker buildx build "${args[@]}" --output type=docker -t "$image:ci-$ARCH" context
  size="$(docker image inspect "$image:ci-$ARCH" --format '{{.Size}}')"
  echo "| $tool | $ARCH | $((size / 1048576)) MB |" >> "$summary"
  if (( size > 50 * 1048576 )); then
    echo "::error::$tool image for $ARCH is $((size / 1048576)) MB, over the 50 MB target"
    oversized=1
  fi

  if [[ "$push" == "true" && "$oversized" == "0" ]]; then
    # Same inputs, so the layers come from the build cache; the attestations are added to the pushed index.
    docker buildx build "${args[@]}" --sbom=true --provenance=mode=max \
      --output "type=image,name=$image,push-by-digest=true,name-canonical=true,push=true" \
      --metadata-file "digests/$tool.json" context
  fi
done
exit "$oversized"
