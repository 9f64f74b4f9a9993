#!/usr/bin/env bash
# Verifies a detached OpenPGP signature against one pinned key, by fingerprint, before anything
# from the signed file runs: the AWS CLI installer in the runner image is checked this way.
#
#   verify-signature.sh FILE SIGNATURE PUBLIC_KEY_FILE EXPECTED_FINGERPRINT
#
# Passes only when gpg reports VALIDSIG for exactly that primary-key fingerprint. An expired key
# still proves who signed (AWS's published key copy carries an old expiry), so expiry alone does not
# fail the check; a wrong key, a tampered file or a missing signature does.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: verify-signature.sh FILE SIGNATURE PUBLIC_KEY_FILE EXPECTED_FINGERPRINT" >&2
  exit 2
fi
file="$1" signature="$2" key="$3" expected="$4"

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export GNUPGHOME="$home"
gpg --batch --quiet --import "$key" 2>/dev/null

# --status-fd gives machine-readable lines; VALIDSIG's 10th field is the primary key's fingerprint.
status="$(gpg --batch --no-auto-key-retrieve --status-fd 1 --verify "$signature" "$file" 2>/dev/null || true)"
if printf '%s\n' "$status" | awk -v want="$expected" '$1 == "[GNUPG:]" && $2 == "VALIDSIG" && $12 == want { found = 1 } END { exit !found }'; then
  echo "verify-signature: $file is signed by $expected"
  exit 0
fi
echo "verify-signature: $file is NOT signed by $expected; refusing it" >&2
exit 1
