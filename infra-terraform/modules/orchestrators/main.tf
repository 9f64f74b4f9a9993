# One orchestrator function per platform, each on its own queue, with a role that reaches only that platform's
# queue, hand-over secrets, runner roles, task definition or launch template.

locals {
  secret_arn_prefix = "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${var.jit_secret_prefix}"
  ec2_arn           = "arn:${var.partition}:ec2:${var.region}:${var.account_id}"
  ecs_task_arns     = var.ecs.cluster_arn == null ? [] : ["${replace(var.ecs.cluster_arn, ":cluster/", ":task/")}/*"]


  # What an EC2 launch creates besides the instance, and what it uses; CreateFleet and RunInstances authorise
  # each of them.
  ec2_created_resources = [
    "${local.ec2_arn}:volume/*",
    "${local.ec2_arn}:network-interface/*",
    "${local.ec2_arn}:fleet/*",
    "${local.ec2_arn}:spot-instances-request/*",
  ]
  ec2_image_arn = "arn:${var.partition}:ec2:${var.region}::image/*"
  ec2_used_resources = concat(
    [for s in var.network.subnet_ids : "${local.ec2_arn}:subnet/${s}"],
    [for g in var.network.security_group_ids : "${local.ec2_arn}:security-group/${g}"],
  )

  # AwsHostConfig's keys: those every orchestrator reads, then those of one host kind only (ECS_KEYS, EC2_KEYS).
  environment = { for name, p in var.platforms : name => merge(
    {
      RUNFLEET_TABLE                = var.table_name
      RUNFLEET_PLATFORM             = name
      RUNFLEET_PLATFORMS            = var.platforms_json
      RUNFLEET_LAUNCH_LEASE_SECONDS = tostring(var.launch_lease_seconds)
      RUNFLEET_AWS_CALL_TIMEOUT_MS  = tostring(min(8000, floor(var.timeout_seconds * 1000 / 3)))
      RUNFLEET_STAGE                = var.stage
      # The allow-list is /runfleet/<stage>/allow, cached this long.
      RUNFLEET_PARAMETER_CACHE_SECONDS = tostring(var.parameter_cache_seconds)
      RUNFLEET_GITHUB_PRIVATE_KEY_ARN  = var.private_key_secret_arn
      RUNFLEET_GITHUB_API_URL          = var.github_api_url
      RUNFLEET_GITHUB_RUNNER_GROUP_ID  = tostring(var.github_runner_group_id)
      RUNFLEET_JIT_SECRET_PREFIX       = var.jit_secret_prefix
      RUNFLEET_SPOT_MODE               = p.spot_mode
      RUNFLEET_SUBNETS                 = join(",", var.network.subnet_ids)
    },
    # Exactly one of the pair: the id, or where `runfleet setup github-app` stores it.
    var.github_app_id == null ? { RUNFLEET_GITHUB_APP_ID_PARAMETER = var.github_app_id_parameter.name } : { RUNFLEET_GITHUB_APP_ID = tostring(var.github_app_id) },
    {
      RUNFLEET_JIT_KMS_KEY_ID = var.jit_kms_key_arn
      # Hand-over secrets are bound to <this id>:<host session>, the aws:userid of the host's role session.
      RUNFLEET_RUNNER_ROLE_ID = var.runner_role_ids[name]
    },
    p.host_kind != "ECS_FARGATE" ? {} : {
      RUNFLEET_ECS_CLUSTER = var.ecs.cluster_arn
      # The family: RunTask runs its latest ACTIVE revision, so a new revision needs no new configuration.
      RUNFLEET_ECS_TASK_DEFINITION  = var.ecs.task_definition_families[name]
      RUNFLEET_ECS_SECURITY_GROUPS  = join(",", var.network.security_group_ids)
      RUNFLEET_ECS_ASSIGN_PUBLIC_IP = tostring(var.network.assign_public_ip)
    },
    p.host_kind != "EC2" ? {} : {
      RUNFLEET_EC2_LAUNCH_TEMPLATE = var.ec2.launch_template_ids[name]
      RUNFLEET_EC2_INSTANCE_TYPES  = join(",", p.instance_types)
    },
  ) }
}

# The GitHub App: mint JIT configs, deregister runners. One document for every platform.
module "github_app_access" {
  source = "../github_app_access"

  private_key_secret_arn = var.private_key_secret_arn
  app_id_parameter_arn   = var.github_app_id == null ? var.github_app_id_parameter.arn : null
  kms_key_arn            = var.kms_key_arn
  region                 = var.region
}

data "aws_iam_policy_document" "orchestrator" {
  for_each = var.platforms

  source_policy_documents = [module.github_app_access.json]

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

  # Also before the parameter exists: an operator may create it any time (`runfleet allow set`).
  statement {
    sid       = "ReadAllowList"
    actions   = ["ssm:GetParameter"]
    resources = [var.allow_parameter_arn]
  }

  # Secrets <prefix>/<platform>/<runner>/<random>: created (with tags), bound to the launched host (TagResource
  # runfleet:host, which the runner roles' condition compares with their aws:userid), replaced when a retried
  # launch mints a new config, deleted at tear-down. Secrets Manager appends -<6 random characters> to the ARN,
  # which the trailing * covers.
  statement {
    sid = "HandOverJitConfig"
    actions = [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:PutSecretValue",
      "secretsmanager:TagResource",
    ]
    resources = ["${local.secret_arn_prefix}/${each.key}/*"]
  }

  statement {
    sid     = "FindRunnerJitConfigs"
    actions = ["secretsmanager:ListSecrets"]
    # The random part of a secret's name is recorded nowhere: a retried launch and a tear-down find the runner's
    # secrets by name prefix. ListSecrets has no resource-level permission; it lists names and tags, never values.
    resources = ["*"]
  }

  statement {
    sid       = "EncryptJitConfig"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.jit_kms_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:SecretARN"
      values   = ["${local.secret_arn_prefix}/${each.key}/*"]
    }
  }

  # ---- ECS Fargate platforms ----

  # Only the platform's task definition family (the resource), only in the runner cluster, and only with the
  # tags StopOwnRunnerTasks asks for, so every task launched can be stopped and no other one.
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
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/runfleet:platform"
        values   = [each.key]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/runfleet:stage"
        values   = [var.stage]
      }
    }
  }

  # Tear-down stops only this platform's tasks in the runner cluster: the task ARN names the cluster and the
  # tag names the platform (before, StopTask reached every platform's tasks in the cluster).
  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid       = "StopOwnRunnerTasks"
      actions   = ["ecs:StopTask"]
      resources = local.ecs_task_arns
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs.cluster_arn]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/runfleet:platform"
        values   = [each.key]
      }
    }
  }

  # A read of the runner cluster's tasks (a retried launch and tear-down look a task up by ARN); no tag
  # condition on a read that may name several tasks at once.
  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid       = "DescribeRunnerTasks"
      actions   = ["ecs:DescribeTasks"]
      resources = local.ecs_task_arns
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs.cluster_arn]
      }
    }
  }

  # A retried launch first looks for the runner's task (startedBy) in the runner cluster.
  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid     = "FindRunnerTasks"
      actions = ["ecs:ListTasks"]
      # ListTasks is authorised on container instances, which Fargate tasks have none of: the API takes only
      # "*", narrowed here to the runner cluster by the ecs:cluster condition.
      resources = ["*"]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs.cluster_arn]
      }
    }
  }

  # RunTask with tags also needs TagResource on the new task; only as part of RunTask, never on its own.
  dynamic "statement" {
    for_each = each.value.host_kind == "ECS_FARGATE" ? [1] : []
    content {
      sid       = "TagTasksAtLaunch"
      actions   = ["ecs:TagResource"]
      resources = local.ecs_task_arns
      condition {
        test     = "StringEquals"
        variable = "ecs:CreateAction"
        values   = ["RunTask"]
      }
    }
  }

  # ---- EC2 platforms ----

  # CreateFleet (type instant) with the platform's launch template. EC2 authorises the fleet request on the
  # template and every resource the launch creates or uses, then each instance as a RunInstances call by this
  # same role: the RunInstances statements below carry the conditions (ec2:LaunchTemplate, ec2:InstanceType,
  # ec2:MetadataHttpTokens are documented for RunInstances), so a fleet can launch only what they allow.
  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "CreateRunnerFleets"
      actions   = ["ec2:CreateFleet"]
      resources = concat([var.ec2.launch_template_arns[each.key]], local.ec2_created_resources, local.ec2_used_resources, [local.ec2_image_arn])
    }
  }

  # RunInstances only from the platform's launch template (which sets IMDSv2, the instance profile and the
  # image); subnets and security groups are named; instance types and subnets are the launcher's overrides.
  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "RunFromOwnTemplate"
      actions   = ["ec2:RunInstances"]
      resources = concat([var.ec2.launch_template_arns[each.key]], local.ec2_created_resources, local.ec2_used_resources)
      condition {
        test     = "ArnEquals"
        variable = "ec2:LaunchTemplate"
        values   = [var.ec2.launch_template_arns[each.key]]
      }
    }
  }

  # The AMI stays a resource of RunInstances even from a template, and the template may name it through
  # resolve:ssm:, so its id is unknown here: image/* is allowed only as the template's own image
  # (ec2:IsLaunchTemplateResource), never one passed in the request.
  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "RunTemplateImage"
      actions   = ["ec2:RunInstances"]
      resources = [local.ec2_image_arn]
      condition {
        test     = "ArnEquals"
        variable = "ec2:LaunchTemplate"
        values   = [var.ec2.launch_template_arns[each.key]]
      }
      condition {
        test     = "Bool"
        variable = "ec2:IsLaunchTemplateResource"
        values   = ["true"]
      }
    }
  }

  # Instances of the platform's types, with IMDSv2 required, from its template, and only with the tags
  # TerminateOwnRunners asks for, so every runner launched can be torn down.
  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "RunTaggedInstances"
      actions   = ["ec2:RunInstances"]
      resources = ["${local.ec2_arn}:instance/*"]
      condition {
        test     = "ArnEquals"
        variable = "ec2:LaunchTemplate"
        values   = [var.ec2.launch_template_arns[each.key]]
      }
      condition {
        test     = "StringEquals"
        variable = "ec2:InstanceType"
        values   = each.value.instance_types
      }
      condition {
        test     = "StringEquals"
        variable = "ec2:MetadataHttpTokens"
        values   = ["required"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/runfleet:platform"
        values   = [each.key]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/runfleet:stage"
        values   = [var.stage]
      }
    }
  }

  # The fleet request names the instances it will create: only with the runner tags.
  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "CreateFleetTaggedInstances"
      actions   = ["ec2:CreateFleet"]
      resources = ["${local.ec2_arn}:instance/*"]
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/runfleet:platform"
        values   = [each.key]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:RequestTag/runfleet:stage"
        values   = [var.stage]
      }
    }
  }

  dynamic "statement" {
    for_each = each.value.host_kind == "EC2" ? [1] : []
    content {
      sid       = "TagAtLaunchOnly"
      actions   = ["ec2:CreateTags"]
      resources = concat(["${local.ec2_arn}:instance/*"], local.ec2_created_resources)
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

  # ---- both host kinds ----

  # The runner roles, handed only to the service that starts this platform's hosts.
  statement {
    sid     = "PassRunnerRoles"
    actions = ["iam:PassRole"]
    # lookup(): HCL evaluates both branches of a conditional, and each map holds one host kind only.
    resources = each.value.host_kind == "EC2" ? lookup(var.ec2.pass_role_arns, each.key, []) : lookup(var.ecs.pass_role_arns, each.key, [])
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = [each.value.host_kind == "EC2" ? "ec2.amazonaws.com" : "ecs-tasks.amazonaws.com"]
    }
  }
}

module "orchestrator" {
  source   = "../lambda"
  for_each = var.platforms

  name               = "${var.name}-orch-${each.key}"
  description        = "runfleet orchestrator for ${each.key}: spin-up and tear-down commands from its queue"
  handler            = "${each.value.handler}::handleRequest"
  jar                = var.jars[each.value.host_kind]
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  environment        = local.environment[each.key]
  policy_json        = data.aws_iam_policy_document.orchestrator[each.key].json
  tags               = var.tags
}

resource "aws_lambda_event_source_mapping" "commands" {
  for_each = var.platforms

  function_name                      = module.orchestrator[each.key].alias_arn
  event_source_arn                   = each.value.queue_arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = 0
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }
}
