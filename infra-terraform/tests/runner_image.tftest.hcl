# The runner image build (modules/runner_image) with a mocked provider. Runs that would apply the build trigger
# plan instead: a mocked provider does not stop a local-exec provisioner, which would call the AWS CLI.

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                  = "runfleet-test"
  runner_dir            = "../runner"
  keep_builds           = 5
  build_timeout_minutes = 60
  build_on_apply        = true
  log_retention_days    = 30
  region                = "eu-west-1"
  account_id            = "123456789012"
  partition             = "aws"
  tags                  = {}
}

run "the_trigger_fires_on_the_content_hash_of_the_image_files" {
  command = plan

  module {
    source = "./modules/runner_image"
  }

  assert {
    condition     = length(terraform_data.build) == 1 && terraform_data.build[0].triggers_replace[0] == output.content_hash
    error_message = "The build trigger is replaced, and so runs the build, when the content hash changes."
  }

  assert {
    condition     = output.content_hash == sha256(join("\n", [for f in ["Dockerfile", ".dockerignore", "buildspec.yml", "entrypoint.sh", "runfleet-runner.sh", "aws-cli-public-key.asc", "verify-signature.sh"] : "${f} ${filesha256("../runner/${f}")}"]))
    error_message = "The content hash covers the Dockerfile, .dockerignore, buildspec and both scripts."
  }

  assert {
    condition     = can(regex("^2\\.331\\.0-[0-9a-f]{12}$", output.tag)) && endswith(output.tag, substr(output.content_hash, 0, 12))
    error_message = "The tag is <runner version from the Dockerfile>-<first 12 hex of the content hash>."
  }
}

run "the_repository_keeps_immutable_scanned_images_of_the_last_builds" {
  command = apply

  module {
    source = "./modules/runner_image"
  }

  variables {
    build_on_apply = false
    keep_builds    = 4
  }

  assert {
    condition     = aws_ecr_repository.runner.name == "runfleet-test-runner" && aws_ecr_repository.runner.image_tag_mutability == "IMMUTABLE" && aws_ecr_repository.runner.image_scanning_configuration[0].scan_on_push
    error_message = "The repository runfleet-<stage>-runner has immutable tags and scans on push."
  }

  assert {
    condition     = jsondecode(aws_ecr_lifecycle_policy.runner.policy).rules[0].selection.countNumber == 12 && jsondecode(aws_ecr_lifecycle_policy.runner.policy).rules[0].action.type == "expire"
    error_message = "Images beyond the last keep_builds builds (three images each) expire."
  }

  assert {
    condition     = length(terraform_data.build) == 0
    error_message = "build_on_apply = false starts no build."
  }

  assert {
    condition     = output.image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/runfleet-test-runner:${output.tag}"
    error_message = "The image is <repository url>:<tag>."
  }

  assert {
    condition     = strcontains(output.start_build_command, "start-build-batch --region eu-west-1 --project-name runfleet-test-runner-image")
    error_message = "The output tells how to start the build by hand."
  }
}

run "the_sources_go_to_a_private_encrypted_bucket_under_their_hash" {
  command = apply

  module {
    source = "./modules/runner_image"
  }

  variables {
    build_on_apply = false
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.source.block_public_acls && aws_s3_bucket_public_access_block.source.block_public_policy && aws_s3_bucket_public_access_block.source.ignore_public_acls && aws_s3_bucket_public_access_block.source.restrict_public_buckets
    error_message = "The source bucket blocks every kind of public access."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.source.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "The source bucket encrypts at rest."
  }

  assert {
    condition     = toset([for o in aws_s3_object.source : o.key]) == toset([for f in ["Dockerfile", ".dockerignore", "buildspec.yml", "entrypoint.sh", "runfleet-runner.sh", "aws-cli-public-key.asc", "verify-signature.sh"] : "runner-image/${output.content_hash}/runner/${f}"])
    error_message = "The image's files go under runner-image/<content hash>/runner/, as runner/ sits in the repository."
  }

  assert {
    condition     = alltrue([for f, o in aws_s3_object.source : o.etag == filemd5("../runner/${f}")])
    error_message = "Each object is re-uploaded when its file changes (etag = MD5 of the file)."
  }
}

run "codebuild_builds_the_uploaded_folder_with_the_content_tag" {
  command = apply

  module {
    source = "./modules/runner_image"
  }

  variables {
    build_on_apply = false
  }

  assert {
    condition     = aws_codebuild_project.runner.source[0].type == "S3" && aws_codebuild_project.runner.source[0].location == "${aws_s3_bucket.source.id}/runner-image/${output.content_hash}/" && aws_codebuild_project.runner.source[0].buildspec == "runner/buildspec.yml"
    error_message = "The project builds runner/buildspec.yml from the folder of the current content hash."
  }

  assert {
    condition     = { for v in aws_codebuild_project.runner.environment[0].environment_variable : v.name => v.value } == { IMAGE_REPO = aws_ecr_repository.runner.repository_url, IMAGE_TAG = output.tag }
    error_message = "The build gets the repository and the content tag (an S3 source has no commit to tag with)."
  }

  assert {
    condition     = aws_codebuild_project.runner.environment[0].privileged_mode && aws_codebuild_project.runner.build_batch_config[0].service_role == aws_iam_role.batch.arn && aws_codebuild_project.runner.build_batch_config[0].restrictions[0].maximum_builds_allowed == 3
    error_message = "A privileged (docker) batch of three builds, run by the batch role."
  }

  assert {
    condition     = aws_codebuild_project.runner.logs_config[0].cloudwatch_logs[0].group_name == aws_cloudwatch_log_group.build.name && aws_cloudwatch_log_group.build.retention_in_days == 30
    error_message = "Build logs go to a log group with a retention."
  }
}

run "a_pinned_base_digest_reaches_the_build_and_changes_the_tag" {
  command = plan

  module {
    source = "./modules/runner_image"
  }

  variables {
    base_image_digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  }

  assert {
    condition     = contains([for v in aws_codebuild_project.runner.environment[0].environment_variable : "${v.name}=${v.value}"], "RUNNER_IMAGE_DIGEST=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
    error_message = "The pinned digest is handed to the build as RUNNER_IMAGE_DIGEST."
  }

  assert {
    condition     = output.content_hash != sha256(join("\n", [for f in ["Dockerfile", ".dockerignore", "buildspec.yml", "entrypoint.sh", "runfleet-runner.sh", "aws-cli-public-key.asc", "verify-signature.sh"] : "${f} ${filesha256("../runner/${f}")}"]))
    error_message = "Pinning (or changing) the base digest changes the content hash, so the image is built again under a new tag."
  }
}

run "without_a_pinned_digest_the_build_gets_none" {
  command = plan

  module {
    source = "./modules/runner_image"
  }

  assert {
    condition     = !contains([for v in aws_codebuild_project.runner.environment[0].environment_variable : v.name], "RUNNER_IMAGE_DIGEST")
    error_message = "Without a digest the build starts from the runner version's tag and gets no RUNNER_IMAGE_DIGEST."
  }
}
