#!/bin/bash
# runfleet runner: takes this host's single-use GitHub JIT config out of Secrets Manager, deletes the secret,
# and runs exactly one job with it. Shared by the container image (entrypoint.sh) and the EC2 boot script.
#
#   runfleet-runner.sh <secret-name>
#
# Environment:
#   RUNNER_HOME                      runner directory holding run.sh (default /home/runner, the official image)
#   RUNFLEET_RUN_AS                  run run.sh as this user through runuser (EC2: root takes, "runner" runs)
#   RUNFLEET_SECRET_ATTEMPTS         reads before giving up (default 8)
#   RUNFLEET_RETRY_BACKOFF_SECONDS   first wait between reads, doubled each time up to 30 s (default 2; tests
#                                    use 0): 2+4+8+16+30+30+30 = 120 s by default. The orchestrator binds the
#                                    secret to this host (tag runfleet:host) only after the launch call has
#                                    returned, and IAM lets no host read it before: the reads wait for that.
#
# Exit codes: run.sh's own when it ran; 64 usage; 65 the secret held no usable config; 66 the secret could
# not be read; 69 a required command is missing; 72 RUNNER_HOME has no run.sh.
#
# The config is a bearer credential until the runner has used it: it lives only in a shell variable and in
# run.sh's argv (GitHub's documented usage), never in a log line, a file or xtrace output.

# Whoever started us may have exported xtrace (SHELLOPTS): it would print the config.
set +x
set -uo pipefail

readonly EX_USAGE=64 EX_DATAERR=65 EX_NOINPUT=66 EX_UNAVAILABLE=69 EX_OSFILE=72

runfleet_log() {
  local level=$1 event=$2
  shift 2
  printf 'runfleet-runner: level=%s event=%s%s\n' "$level" "$event" "${*:+ $*}" >&2
}

runfleet_fail() {
  local code=$1
  shift
  runfleet_log error "$@"
  exit "$code"
}

# Secrets Manager names: letters, digits and /_+=.@- (a leading "-" would read as an option).
runfleet_check_secret_name() {
  local name=$1
  [[ -n $name ]] || runfleet_fail "$EX_USAGE" usage 'msg="no secret name given"'
  [[ $name =~ ^[A-Za-z0-9/_+=.@][A-Za-z0-9/_+=.@-]*$ ]] \
    || runfleet_fail "$EX_USAGE" bad_secret_name "secret=$(printf '%q' "$name")"
}

# Fails before the secret is consumed: a host that cannot run the job must leave the config unused.
runfleet_check_prerequisites() {
  command -v aws >/dev/null 2>&1 || runfleet_fail "$EX_UNAVAILABLE" missing_command 'command=aws'
  if [[ -n ${RUNFLEET_RUN_AS:-} ]]; then
    command -v runuser >/dev/null 2>&1 || runfleet_fail "$EX_UNAVAILABLE" missing_command 'command=runuser'
  fi
  [[ -x $RUNNER_HOME/run.sh ]] || runfleet_fail "$EX_OSFILE" no_runner "runner_home=$RUNNER_HOME"
}

# Reads the secret into the global RUNFLEET_JIT_CONFIG, retrying while IAM and the new secret become
# visible. Command substitution keeps the value off stdout; the CLI's own errors name no value.
runfleet_read_secret() {
  local name=$1
  local attempts=${RUNFLEET_SECRET_ATTEMPTS:-8} backoff=${RUNFLEET_RETRY_BACKOFF_SECONDS:-2}
  [[ $attempts =~ ^[1-9][0-9]*$ ]] || runfleet_fail "$EX_USAGE" bad_setting "RUNFLEET_SECRET_ATTEMPTS=$attempts"
  [[ $backoff =~ ^[0-9]+$ ]] || runfleet_fail "$EX_USAGE" bad_setting "RUNFLEET_RETRY_BACKOFF_SECONDS=$backoff"
  local attempt value
  for ((attempt = 1; attempt <= attempts; attempt++)); do
    if value=$(aws secretsmanager get-secret-value --secret-id "$name" --query SecretString --output text); then
      RUNFLEET_JIT_CONFIG=$value
      runfleet_log info secret_read "secret=$name" "attempt=$attempt"
      return 0
    fi
    if ((attempt < attempts)); then
      runfleet_log warn secret_read_retry "secret=$name" "attempt=$attempt/$attempts" "wait_seconds=$backoff"
      ((backoff > 0)) && sleep "$backoff"
      backoff=$((backoff * 2 > 30 ? 30 : backoff * 2))
    fi
  done
  runfleet_fail "$EX_NOINPUT" secret_unreadable "secret=$name" "attempts=$attempts" \
    'msg="the JIT config secret never became readable: is the name right and may this role read it?"'
}

# Deletes at once, so the config can be used only by this host. A failed delete leaves a secret behind
# that the orchestrator's cleanup removes; the job still runs (the config is single-use at GitHub anyway).
runfleet_delete_secret() {
  local name=$1
  if aws secretsmanager delete-secret --secret-id "$name" --force-delete-without-recovery >/dev/null; then
    runfleet_log info secret_deleted "secret=$name"
  else
    runfleet_log warn secret_delete_failed "secret=$name" 'msg="continuing; the secret must be removed by cleanup"'
  fi
}

# The job inherits our environment: it must not inherit the host's role. Unsetting changes only what the
# next exec passes on, which is why every step from the container's PID 1 to run.sh is an exec.
runfleet_drop_credentials() {
  unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI \
    AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \
    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
    AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN RUNFLEET_JIT_SECRET
}

# Takes the config, then replaces this process with the runner (one job, then the runner exits).
runfleet_take_and_run() {
  local name=${1:-}
  runfleet_check_secret_name "$name"
  RUNNER_HOME=${RUNNER_HOME:-/home/runner}
  runfleet_check_prerequisites

  RUNFLEET_JIT_CONFIG=
  runfleet_read_secret "$name"
  runfleet_delete_secret "$name"

  local config=$RUNFLEET_JIT_CONFIG
  unset RUNFLEET_JIT_CONFIG
  # GitHub's encoded_jit_config is base64; "None" is what the CLI prints for a secret without a string.
  if [[ -z $config || $config == None || ! $config =~ ^[A-Za-z0-9+/=]+$ ]]; then
    runfleet_fail "$EX_DATAERR" bad_secret_value "secret=$name" 'msg="the secret holds no base64 JIT config"'
  fi

  runfleet_drop_credentials
  cd "$RUNNER_HOME" || runfleet_fail "$EX_OSFILE" no_runner "runner_home=$RUNNER_HOME"
  if [[ -n ${RUNFLEET_RUN_AS:-} ]]; then
    runfleet_log info runner_start "secret=$name" "runner_home=$RUNNER_HOME" "user=$RUNFLEET_RUN_AS"
    exec runuser -u "$RUNFLEET_RUN_AS" -- ./run.sh --jitconfig "$config"
  fi
  runfleet_log info runner_start "secret=$name" "runner_home=$RUNNER_HOME"
  exec ./run.sh --jitconfig "$config"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  if (($# != 1)); then
    runfleet_fail "$EX_USAGE" usage 'msg="usage: runfleet-runner.sh <secret-name>"'
  fi
  runfleet_take_and_run "$1"
fi
