# EC2 runner hosts: per platform (and so per arch) a launch template with IMDSv2 required and a boot script
# free of secrets, and an instance role that may only read and delete that platform's JIT configs.

locals {
  secret_arn_prefix = "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${var.jit_secret_prefix}"
}

resource "aws_cloudwatch_log_group" "runners" {
  count = length(var.platforms) > 0 ? 1 : 0

  name              = "/${var.name}/runners/ec2"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    sid     = "Ec2AssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "runner" {
  for_each = var.platforms

  name               = "${var.name}-runner-${each.key}"
  description        = "Runner instance on ${each.key}: reads and deletes its own single-use JIT config"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
  tags               = var.tags
}

module "take_jit_config" {
  source   = "../jit_take_policy"
  for_each = var.platforms

  secret_arn_prefix = local.secret_arn_prefix
  platform          = each.key
  kms_key_arn       = var.kms_key_arn
  region            = var.region
}

data "aws_iam_policy_document" "runner" {
  for_each = var.platforms

  source_policy_documents = [module.take_jit_config[each.key].json]

  statement {
    sid       = "WriteRunnerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.runners[0].arn}:*"]
  }
}

resource "aws_iam_role_policy" "runner" {
  for_each = var.platforms

  name   = "runner"
  role   = aws_iam_role.runner[each.key].id
  policy = data.aws_iam_policy_document.runner[each.key].json
}

resource "aws_iam_instance_profile" "runner" {
  for_each = var.platforms

  name = "${var.name}-runner-${each.key}"
  role = aws_iam_role.runner[each.key].name
  tags = var.tags
}

resource "aws_launch_template" "runner" {
  for_each = var.platforms

  name        = "${var.name}-${each.key}"
  description = "runfleet ${each.key} runner (${each.value.arch})"
  # lookup(): a missing arch is reported by the root module's precondition, with its own message.
  image_id                             = lookup(var.amis, each.value.arch, null)
  update_default_version               = true
  ebs_optimized                        = true
  instance_initiated_shutdown_behavior = "terminate" # the runner shuts the host down after its one job

  iam_instance_profile {
    arn = aws_iam_instance_profile.runner[each.key].arn
  }

  # IMDSv2 only; hop limit 1 keeps the instance role out of reach of containers a job starts.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    http_protocol_ipv6          = "disabled"
    instance_metadata_tags      = "enabled"
  }

  network_interfaces {
    associate_public_ip_address = var.assign_public_ip
    security_groups             = var.security_group_ids
    delete_on_termination       = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.root_volume_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  # Only names go in: user data is readable by anyone allowed ec2:DescribeInstanceAttribute. The runner
  # fetches its JIT config with its instance role, through the same script as the container image.
  user_data = base64encode(templatefile(var.boot_script, {
    stage             = var.stage
    platform          = each.key
    region            = var.region
    jit_secret_prefix = "${var.jit_secret_prefix}/${each.key}"
    log_group         = aws_cloudwatch_log_group.runners[0].name
    runner_script     = file("${path.module}/../../../runner/runfleet-runner.sh")
  }))

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = "${var.name}-${each.key}", "runfleet:platform" = each.key })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { "runfleet:platform" = each.key })
  }

  tags = var.tags
}
