#!/usr/bin/env bash
# Run by terraform apply (terraform_data.build's local-exec) when the runner image's content hash changed:
# starts the CodeBuild batch build of the image and waits, bounded, until it succeeded. Needs the AWS CLI v2
# with credentials for the account the module deploys to (the same the AWS provider uses: AWS_PROFILE, ...).
#
#   RUNFLEET_BUILD_PROJECT     CodeBuild project         RUNFLEET_BUILD_REPOSITORY  ECR repository name
#   RUNFLEET_BUILD_IMAGE_REPO  its URI (IMAGE_REPO)
#   RUNFLEET_BUILD_REGION      its region                RUNFLEET_BUILD_TAG         the tag the build pushes
#   RUNFLEET_BUILD_ACCOUNT     its account               RUNFLEET_BUILD_TIMEOUT     seconds to wait at most
#   RUNFLEET_BUILD_POLL_SECONDS  between status reads (default 20)
set -euo pipefail

project="${RUNFLEET_BUILD_PROJECT:?}"
region="${RUNFLEET_BUILD_REGION:?}"
account="${RUNFLEET_BUILD_ACCOUNT:?}"
repository="${RUNFLEET_BUILD_REPOSITORY:?}"
image_repo="${RUNFLEET_BUILD_IMAGE_REPO:?}"
tag="${RUNFLEET_BUILD_TAG:?}"
timeout="${RUNFLEET_BUILD_TIMEOUT:?}"
poll="${RUNFLEET_BUILD_POLL_SECONDS:-20}"

say() { echo "runner-image: $*" >&2; }

if ! command -v aws >/dev/null 2>&1; then
  say "the AWS CLI is not on PATH: install it (or set runner_image.build_on_apply = false and start the build with:"
  say "  aws codebuild start-build-batch --region $region --project-name $project)"
  exit 1
fi

caller="$(aws sts get-caller-identity --query Account --output text)"
if [ "$caller" != "$account" ]; then
  say "the AWS CLI's credentials are for account $caller, the deployment's is $account: point AWS_PROFILE at the same account"
  exit 1
fi

# Tags are immutable: the same content built before (a replaced trigger, a lost state) is done already.
if aws ecr describe-images --region "$region" --repository-name "$repository" --image-ids "imageTag=$tag" >/dev/null 2>&1; then
  say "$repository:$tag exists already"
  exit 0
fi

# The project's environment names repository and tag already; repeated here so that this batch builds exactly
# what this apply expects, whatever the project held when it started.
id="$(aws codebuild start-build-batch --region "$region" --project-name "$project" \
  --environment-variables-override "name=IMAGE_REPO,value=$image_repo,type=PLAINTEXT" "name=IMAGE_TAG,value=$tag,type=PLAINTEXT" \
  --query 'buildBatch.id' --output text)"
say "started batch build $id for $repository:$tag; waiting up to $timeout s"

deadline=$((SECONDS + timeout))
while :; do
  status="$(aws codebuild batch-get-build-batches --region "$region" --ids "$id" --query 'buildBatches[0].buildBatchStatus' --output text)"
  case "$status" in
    SUCCEEDED)
      say "built $repository:$tag"
      exit 0
      ;;
    FAILED | FAULT | STOPPED | TIMED_OUT)
      say "batch build $id ended $status: see the CodeBuild console or log group /aws/codebuild/$project"
      exit 1
      ;;
  esac
  if ((SECONDS >= deadline)); then
    say "batch build $id still $status after $timeout s: giving up (it keeps running; apply again once it succeeded)"
    exit 1
  fi
  sleep "$poll"
done
