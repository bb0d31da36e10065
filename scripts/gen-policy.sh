#!/usr/bin/env bash
# The policy templates in packaging/policy/ (JSON Schema, ADMX/ADML, macOS
# manifest and example profile) and the policy reference in
# docs/managed-install.md, generated from
# src-tauri/crates/tobira-core/src/policy/definition.rs by tobira-core's
# `policy_templates` test.
#   bash scripts/gen-policy.sh          regenerate them
#   bash scripts/gen-policy.sh --check  fail when the committed files differ
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT

TOBIRA_POLICY_EXPORT_DIR="$fresh" cargo test --quiet -p tobira-core --test policy_templates export_templates

case "${1:-}" in
  --check)
    status=0
    diff -ru packaging/policy "$fresh/packaging/policy" || status=1
    diff -u docs/managed-install.md "$fresh/docs/managed-install.md" || status=1
    if [ $status -ne 0 ]; then
      echo "the policy templates do not match policy/definition.rs; run: bash scripts/gen-policy.sh" >&2
      exit 1
    fi
    echo "policy: packaging/policy/ and docs/managed-install.md match the definition"
    ;;
  "")
    # Replaced whole, so a template no longer generated loses its file.
    rm -rf packaging/policy
    mkdir -p packaging
    cp -r "$fresh/packaging/policy" packaging/policy
    cp "$fresh/docs/managed-install.md" docs/managed-install.md
    echo "policy: wrote $(find packaging/policy -type f | wc -l) files to packaging/policy/ and the reference in docs/managed-install.md"
    ;;
  *)
    echo "usage: bash scripts/gen-policy.sh [--check]" >&2
    exit 2
    ;;
esac
