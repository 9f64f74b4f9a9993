# The Fargate runner image, built in AWS: runner/ is uploaded to a private bucket, a CodeBuild batch build makes
# one native image per arch and a multi-arch index (runner/buildspec.yml), and pushes them to an ECR repository
# with immutable tags. The tag names the content: <runner version>-<12 hex of the content hash>, so a change in
# runner/ gives a new tag, a new build and a new task definition revision, and an unchanged one none of these.

locals {
  # What the image is made of; nothing else in runner/ (tests, pom.xml) changes it.
  image_files = ["Dockerfile", ".dockerignore", "buildspec.yml", "entrypoint.sh", "runfleet-runner.sh", "aws-cli-public-key.asc", "verify-signature.sh"]

  # The pinned base is part of the content: changing it builds a new tag.
  content_hash = sha256(join("\n", concat(
    [for f in local.image_files : "${f} ${filesha256("${var.runner_dir}/${f}")}"],
    var.base_image_digest == null ? [] : ["base ${var.base_image_digest}"],
  )))
  runner_version = regex("ARG RUNNER_VERSION=([0-9][0-9.]*)", file("${var.runner_dir}/Dockerfile"))[0]
  tag            = "${local.runner_version}-${substr(local.content_hash, 0, 12)}"
  image          = "${aws_ecr_repository.runner.repository_url}:${local.tag}"

  repository_name = "${var.name}-runner"
  project_name    = "${var.name}-runner-image"
  bucket_name     = "${var.name}-runner-src-${var.account_id}-${var.region}"
  # A folder per content hash: the project always builds exactly the files of its tag. Inside it, runner/ as in
  # the repository, so buildspec.yml works the same from a git source.
  source_prefix = "runner-image/${local.content_hash}"

  # Built from names (known at plan), so the policies below read complete in a plan.
  repository_arn = "arn:${var.partition}:ecr:${var.region}:${var.account_id}:repository/${local.repository_name}"
  bucket_arn     = "arn:${var.partition}:s3:::${local.bucket_name}"
  project_arn    = "arn:${var.partition}:codebuild:${var.region}:${var.account_id}:project/${local.project_name}"
  log_group_name = "/aws/codebuild/${local.project_name}"
  log_group_arn  = "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${local.log_group_name}"
}

resource "aws_ecr_repository" "runner" {
  name                 = local.repository_name
  image_tag_mutability = "IMMUTABLE"
  # Every image here is rebuilt from runner/ by the next apply, so destroy may take them along.
  force_delete = true

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "runner" {
  repository = aws_ecr_repository.runner.name

  # An ECR lifecycle document, not an IAM policy.
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the images of the last ${var.keep_builds} builds (three images each)"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = var.keep_builds * 3
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_s3_bucket" "source" {
  bucket = local.bucket_name
  # Holds nothing but copies of runner/, which the next apply uploads again.
  force_destroy = true
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "source" {
  bucket = aws_s3_bucket.source.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "source" {
  bucket = aws_s3_bucket.source.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "source" {
  bucket = aws_s3_bucket.source.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# One object per file (the offline provider mirror has no hashicorp/archive to zip them); CodeBuild takes a
# folder of an S3 bucket as its source.
resource "aws_s3_object" "source" {
  for_each = toset(local.image_files)

  bucket = aws_s3_bucket.source.id
  key    = "${local.source_prefix}/runner/${each.key}"
  source = "${var.runner_dir}/${each.key}"
  etag   = filemd5("${var.runner_dir}/${each.key}")
  tags   = var.tags

  depends_on = [aws_s3_bucket_server_side_encryption_configuration.source, aws_s3_bucket_public_access_block.source]
}

resource "aws_cloudwatch_log_group" "build" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_codebuild" {
  statement {
    sid     = "CodeBuildAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "build" {
  name               = "${var.name}-runner-image-build"
  description        = "CodeBuild builds the runner image: reads its sources, writes its logs, pushes to its repository"
  assume_role_policy = data.aws_iam_policy_document.assume_codebuild.json
  tags               = var.tags
}

data "aws_iam_policy_document" "build" {
  statement {
    sid       = "WriteBuildLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${local.log_group_arn}:*"]
  }

  statement {
    sid       = "ReadSources"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${local.bucket_arn}/runner-image/*"]
  }

  # A folder source is listed before it is downloaded.
  statement {
    sid       = "ListSources"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid     = "EcrLogin"
    actions = ["ecr:GetAuthorizationToken"]
    # GetAuthorizationToken is account-wide: the API authorises it only on "*".
    resources = ["*"]
  }

  # DescribeImages: a build whose tag exists already stops there (tags are immutable).
  statement {
    sid = "PushImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [local.repository_arn]
  }
}

resource "aws_iam_role_policy" "build" {
  name   = "build"
  role   = aws_iam_role.build.id
  policy = data.aws_iam_policy_document.build.json
}

# A batch build runs its builds (one per arch, then the manifest) through a role of its own.
resource "aws_iam_role" "batch" {
  name               = "${var.name}-runner-image-batch"
  description        = "CodeBuild starts the builds of the runner image's batch"
  assume_role_policy = data.aws_iam_policy_document.assume_codebuild.json
  tags               = var.tags
}

data "aws_iam_policy_document" "batch" {
  statement {
    sid       = "RunBatchBuilds"
    actions   = ["codebuild:RetryBuild", "codebuild:StartBuild", "codebuild:StopBuild"]
    resources = [local.project_arn]
  }
}

resource "aws_iam_role_policy" "batch" {
  name   = "batch"
  role   = aws_iam_role.batch.id
  policy = data.aws_iam_policy_document.batch.json
}

resource "aws_codebuild_project" "runner" {
  name          = local.project_name
  description   = "runfleet runner image (runner/buildspec.yml): native x64 and arm64 builds, then a multi-arch index"
  service_role  = aws_iam_role.build.arn
  build_timeout = var.build_timeout_minutes

  source {
    type      = "S3"
    location  = "${aws_s3_bucket.source.id}/${local.source_prefix}/"
    buildspec = "runner/buildspec.yml"
  }

  artifacts {
    type = "NO_ARTIFACTS"
  }

  # The batch's builds bring their own images (x86_64 and Graviton); this one starts the batch.
  environment {
    type            = "LINUX_CONTAINER"
    image           = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
    compute_type    = "BUILD_GENERAL1_SMALL"
    privileged_mode = true

    environment_variable {
      name  = "IMAGE_REPO"
      value = aws_ecr_repository.runner.repository_url
    }

    # An S3 source has no commit to tag with: the tag is the content's.
    environment_variable {
      name  = "IMAGE_TAG"
      value = local.tag
    }

    # Set only to pin the base image; without it the build starts from the runner version's tag.
    dynamic "environment_variable" {
      for_each = var.base_image_digest == null ? [] : [var.base_image_digest]
      content {
        name  = "RUNNER_IMAGE_DIGEST"
        value = environment_variable.value
      }
    }
  }

  build_batch_config {
    service_role    = aws_iam_role.batch.arn
    timeout_in_mins = var.build_timeout_minutes

    restrictions {
      maximum_builds_allowed = 3
      compute_types_allowed  = ["BUILD_GENERAL1_SMALL"]
    }
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.build.name
    }
  }

  tags = var.tags

  # CodeBuild checks at creation that it may assume the roles.
  depends_on = [aws_iam_role_policy.build, aws_iam_role_policy.batch]
}

# Starts the batch build when the content hash changes (or the repository is new), and waits for it: the task
# definitions name the image, and a runner task cannot start before it exists. Needs the AWS CLI where terraform
# runs, with credentials for this account.
resource "terraform_data" "build" {
  count = var.build_on_apply ? 1 : 0

  triggers_replace = [local.content_hash, aws_ecr_repository.runner.repository_url]

  provisioner "local-exec" {
    interpreter = ["bash"]
    command     = "${path.module}/scripts/build-image.sh"
    environment = {
      RUNFLEET_BUILD_PROJECT    = aws_codebuild_project.runner.name
      RUNFLEET_BUILD_REGION     = var.region
      RUNFLEET_BUILD_ACCOUNT    = var.account_id
      RUNFLEET_BUILD_REPOSITORY = aws_ecr_repository.runner.name
      RUNFLEET_BUILD_IMAGE_REPO = aws_ecr_repository.runner.repository_url
      RUNFLEET_BUILD_TAG        = local.tag
      RUNFLEET_BUILD_TIMEOUT    = tostring(var.build_timeout_minutes * 60)
    }
  }

  depends_on = [aws_s3_object.source, aws_codebuild_project.runner]
}
