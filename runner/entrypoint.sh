#!/bin/bash
# Container entrypoint: ECS names this task's JIT secret in RUNFLEET_JIT_SECRET (a RunTask override on the
# "runner" container); runfleet-runner.sh does the rest.
set +x
set -euo pipefail
if [[ -z ${RUNFLEET_JIT_SECRET:-} ]]; then
  printf 'runfleet-runner: level=error event=usage msg="RUNFLEET_JIT_SECRET is not set: start this image through runfleet"\n' >&2
  exit 64
fi
printf 'runfleet-runner: level=info event=container_start runner=%s\n' "${RUNFLEET_RUNNER_NAME:-unknown}" >&2
exec "$(dirname -- "${BASH_SOURCE[0]}")/runfleet-runner.sh" "$RUNFLEET_JIT_SECRET"
