# One orchestrator function per platform, each on its own queue, with a role that reaches only that platform's
# queue, runner roles, task definitions or launch template. The launchers that use the ECS/EC2 grants land with
# the "Runner hosts" issue; until then a cold start in AWS fails with a message saying so.

locals {
  secret_arn_prefix = "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${var.jit_secret_prefix}"
  ec2_arn           = "arn:${var.partition}:ec2:${var.region}:${var.account_id}"
  ecs_task_arns     = var.ecs.cluster_arn == null ? [] : ["${replace(var.ecs.cluster_arn, ":cluster/", ":task/")}/*"]

  private_key_in_secrets_manager = can(regex("^arn:[^:]+:secretsmanager:", var.private_key_secret_arn))

  # What an EC2 launch creates or touches; CreateFleet and RunInstances authorise each of them.
  ec2_launch_resources = concat(
    [
      "${local.ec2_arn}:instance/*",
      "${local.ec2_arn}:volume/*",
      "${local.ec2_arn}:network-interface/*",
      "${local.ec2_arn}:fleet/*",
      "${local.ec2_arn}:spot-instances-request/*",
      "arn:${var.partition}:ec2:${var.region}::image/*",
    ],
    [for s in var.ec2.subnet_ids : "${local.ec2_arn}:subnet/${s}"],
    [for g in var.ec2.security_group_ids : "${local.ec2_arn}:security-group/${g}"],
  )
}

data "aws_iam_policy_document" "orchestrator" {
  for_each = var.platforms

  statement {
    sid       = "RunnerStore"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [var.table_arn]
  }

  statement {
    sid       = "ConsumeOwnQueue"
    actions   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    resources = [each.value.queue_arn]
  }

  dynamic "statement" {
    for_each = local.private_key_in_secrets_manager ? [var.private_key_secret_arn] : []
    content {
      sid       = "ReadAppKeySecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.private_key_in_secrets_manager ? [] : [var.private_key_secret_arn]
    content {
      sid       = "ReadAppKeyParameter"
      actions   = ["ssm:GetParameter"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptAppKey"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${var.region}.amazonaws.com", "ssm.${var.region}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "HandOverJitConfig"
    actions   = ["secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:TagResource"]
    resources = ["${local.secret_arn_prefix}/${each.key}/*"]
  }

  # ---- ECS Fargate platforms ----

  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid       = "RunRunnerTasks"
      actions   = ["ecs:RunTask"]
      resources = var.ecs.task_definition_arns[each.key]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs.cluster_arn]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid       = "ManageRunnerTasks"
      actions   = ["ecs:DescribeTasks", "ecs:StopTask", "ecs:TagResource"]
      resources = local.ecs_task_arns
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid       = "PassRunnerTaskRoles"
      actions   = ["iam:PassRole"]
      resources = var.ecs.pass_role_arns[each.key]
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }
    }
  }

  # ---- EC2 platforms ----

  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "LaunchRunnerInstances"
      actions   = ["ec2:CreateFleet", "ec2:RunInstances"]
      resources = concat([var.ec2.launch_template_arns[each.key]], local.ec2_launch_resources)
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "TagAtLaunchOnly"
      actions   = ["ec2:CreateTags"]
      resources = local.ec2_launch_resources
      condition {
        test     = "StringEquals"
        variable = "ec2:CreateAction"
        values   = ["CreateFleet", "RunInstances"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "TerminateOwnRunners"
      actions   = ["ec2:TerminateInstances"]
      resources = ["${local.ec2_arn}:instance/*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/runfleet:platform"
        values   = [each.key]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/runfleet:stage"
        values   = [var.stage]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid     = "DescribeRunnerInstances"
      actions = ["ec2:DescribeInstances"]
      # EC2 Describe* calls support no resource-level permissions: the API authorises them only on "*".
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "PassRunnerInstanceRole"
      actions   = ["iam:PassRole"]
      resources = var.ec2.pass_role_arns[each.key]
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ec2.amazonaws.com"]
      }
    }
  }
}

module "orchestrator" {
  source   = "../lambda"
  for_each = var.platforms

  name               = "${var.name}-orch-${each.key}"
  description        = "runfleet orchestrator for ${each.key}: spin-up and tear-down commands from its queue"
  handler            = "${each.value.handler}::handleRequest"
  jar                = var.jar
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  environment        = {
    RUNFLEET_TABLE                = var.table_name
    RUNFLEET_PLATFORM             = each.key
    RUNFLEET_PLATFORMS            = var.platforms_json
    RUNFLEET_LAUNCH_LEASE_SECONDS = tostring(var.launch_lease_seconds)
    RUNFLEET_AWS_CALL_TIMEOUT_MS  = tostring(min(8000, floor(var.timeout_seconds * 1000 / 3)))
  }
  policy_json = data.aws_iam_policy_document.orchestrator[each.key].json
  tags        = var.tags
}

resource "aws_lambda_event_source_mapping" "commands" {
  for_each = var.platforms

  function_name                      = module.orchestrator[each.key].arn
  event_source_arn                   = each.value.queue_arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = 0
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }
}
