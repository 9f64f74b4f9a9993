#!/usr/bin/env bash
# The Terraform half of infra-terraform's checks (the node checks in checks/ are the other half):
#   terraform fmt -check     the module, its submodules, examples and tests (not checks/fixtures, which holds
#                            deliberately broken files for the node checks)
#   terraform init+validate  the root module and every directory under examples/
#   terraform test           the root module: tests/*.tftest.hcl, which also plan and apply the examples
# The Maven build runs it in the test phase (skipped with -DskipTests); by hand: bash scripts/terraform-checks.sh
#
# Providers come from a local filesystem mirror when there is one (TF_PLUGIN_DIR, else /opt/tf-plugins, else a
# folder found under / holding registry.terraform.io/hashicorp/aws), otherwise from the registry.
# Without terraform on PATH it prints one line and succeeds: the node checks still run.
set -euo pipefail

module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$module_dir"

if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform-checks: terraform is not on PATH: skipping terraform fmt, validate and test"
  exit 0
fi

# A TF_CLI_CONFIG_FILE naming a missing file only makes terraform warn on every command; without it terraform
# reads the default location, silently.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
  unset TF_CLI_CONFIG_FILE
fi
export TF_IN_AUTOMATION=1 TF_INPUT=0

started=$SECONDS
say() { echo "terraform-checks: $*"; }

# The folder above registry.terraform.io, as -plugin-dir wants it.
find_mirror() {
  local dir
  for dir in "${TF_PLUGIN_DIR:-}" /opt/tf-plugins "$HOME/.terraform.d/plugins"; do
    if [ -n "$dir" ] && [ -d "$dir/registry.terraform.io/hashicorp/aws" ]; then
      echo "$dir"
      return
    fi
  done
  dir="$(find / -maxdepth 5 -type d -path '*/registry.terraform.io/hashicorp/aws' 2>/dev/null | head -n 1 || true)"
  if [ -n "$dir" ]; then
    dirname "$(dirname "$(dirname "$dir")")"
  fi
}

mirror="$(find_mirror)"
init_args=(-backend=false -input=false -no-color)
if [ -n "$mirror" ]; then
  init_args+=("-plugin-dir=$mirror")
  say "$(terraform version | head -n 1), providers from $mirror"
else
  say "$(terraform version | head -n 1), providers from the registry (no local mirror found)"
fi

# Runs a command quietly; on failure prints what it said and stops.
quiet() {
  local what="$1"
  shift
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "FAILED: $what"
    exit 1
  fi
  rm -f "$log"
}

# fmt: the root directory itself (not recursive, so checks/ and its deliberately broken fixtures stay out), then
# the folders that hold configuration, recursively (each submodule and example is a folder of its own).
if ! unformatted="$( (terraform fmt -check -list=true -no-color . && terraform fmt -check -recursive -list=true -no-color modules examples tests) 2>&1)"; then
  echo "$unformatted" >&2
  say "FAILED: terraform fmt -check (run: terraform fmt . && terraform fmt -recursive modules examples tests)"
  exit 1
fi
say "fmt: ok"

dirs=(.)
for example in examples/*/; do
  dirs+=("${example%/}")
done

# One init per directory; validate right after it. Each prints terraform's own verdict.
for dir in "${dirs[@]}"; do
  quiet "terraform init in $dir" terraform -chdir="$dir" init "${init_args[@]}"
  if ! verdict="$(terraform -chdir="$dir" validate -no-color 2>&1)"; then
    echo "$verdict" >&2
    say "FAILED: terraform validate in $dir"
    exit 1
  fi
  say "validate $dir: $(echo "$verdict" | grep -m 1 'Success' || echo "$verdict" | tail -n 1)"
done

# terraform test prints one line per run and ends with "Success! N passed, 0 failed." or "Failure! ...".
if ! terraform test -no-color; then
  say "FAILED: terraform test"
  exit 1
fi

say "done in $((SECONDS - started)) s"
