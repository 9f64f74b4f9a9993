#!/bin/bash
# Container entrypoint: ECS names this task's JIT secret in RUNFLEET_JIT_SECRET (a RunTask override on the
# "runner" container); runfleet-runner.sh does the rest.
#
# This script is the container's PID 1 (the task definition sets no initProcessEnabled) and only ever execs:
# entrypoint.sh -> runfleet-runner.sh -> run.sh stay one process. /proc/<pid>/environ shows the environment a
# process was exec'd with, so an init process, or any shell that stayed alive as a parent, would keep
# AWS_CONTAINER_CREDENTIALS_RELATIVE_URI readable to the job (same user, or root through the image's sudo)
# for as long as the task runs. After the last exec, PID 1 is run.sh with the credential variables gone,
# and no process in the container knows the task's random credentials path on 169.254.170.2.
set +x
set -euo pipefail
if [[ -z ${RUNFLEET_JIT_SECRET:-} ]]; then
  printf 'runfleet-runner: level=error event=usage msg="RUNFLEET_JIT_SECRET is not set: start this image through runfleet"\n' >&2
  exit 64
fi
printf 'runfleet-runner: level=info event=container_start runner=%s\n' "${RUNFLEET_RUNNER_NAME:-unknown}" >&2
# run.sh as PID 1 must trap SIGTERM itself (the kernel drops signals PID 1 has no handler for): this is
# the actions runner's switch for that, so a Fargate Spot stop still lets the runner finish cleanly.
export RUNNER_MANUALLY_TRAP_SIG=1
exec "$(dirname -- "${BASH_SOURCE[0]}")/runfleet-runner.sh" "$RUNFLEET_JIT_SECRET"
