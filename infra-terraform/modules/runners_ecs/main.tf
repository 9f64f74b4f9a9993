# Fargate runner hosts: the cluster, one task definition per platform sized by its runner class, the execution
# role (pull the image, write logs) and one task role per platform (read and delete its own JIT config, nothing
# more).

locals {
  enabled = length(var.platforms) > 0

  secret_arn_prefix = "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${var.jit_secret_prefix}"
}

resource "aws_ecs_cluster" "runners" {
  count = local.enabled ? 1 : 0

  name = "${var.name}-runners"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "runners" {
  count = local.enabled ? 1 : 0

  cluster_name       = aws_ecs_cluster.runners[0].name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "runners" {
  count = local.enabled ? 1 : 0

  name              = "/${var.name}/runners/ecs"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_tasks" {
  statement {
    sid     = "EcsTasksAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  count = local.enabled ? 1 : 0

  name               = "${var.name}-runner-exec"
  description        = "ECS pulls the runner image and writes its logs"
  assume_role_policy = data.aws_iam_policy_document.assume_tasks.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  count = local.enabled ? 1 : 0

  statement {
    sid       = "WriteRunnerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.runners[0].arn}:*"]
  }

  dynamic "statement" {
    for_each = var.ecr_repository_arn == null ? [] : [var.ecr_repository_arn]
    content {
      sid       = "PullRunnerImage"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.ecr_repository_arn == null ? [] : [var.ecr_repository_arn]
    content {
      sid     = "EcrLogin"
      actions = ["ecr:GetAuthorizationToken"]
      # GetAuthorizationToken is account-wide: the API authorises it only on "*".
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  count = local.enabled ? 1 : 0

  name   = "runner-execution"
  role   = aws_iam_role.execution[0].id
  policy = data.aws_iam_policy_document.execution[0].json
}

resource "aws_iam_role" "task" {
  for_each = var.platforms

  name               = "${var.name}-runner-${each.key}"
  description        = "Runner task on ${each.key}: reads and deletes its own single-use JIT config"
  assume_role_policy = data.aws_iam_policy_document.assume_tasks.json
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

data "aws_iam_policy_document" "task" {
  for_each = var.platforms

  source_policy_documents = [module.take_jit_config[each.key].json]
}

resource "aws_iam_role_policy" "task" {
  for_each = var.platforms

  name   = "runner"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.task[each.key].json
}

# One definition per platform: RunTask names its family and so runs the latest ACTIVE revision.
resource "aws_ecs_task_definition" "runner" {
  for_each = var.platforms

  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.runner_classes[each.value.runner_class].cpu)
  memory                   = tostring(var.runner_classes[each.value.runner_class].memory)
  execution_role_arn       = aws_iam_role.execution[0].arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = each.value.arch == "arm64" ? "ARM64" : "X86_64"
  }

  # Nothing secret and nothing per runner here: the orchestrator names the runner and its JIT secret in the
  # RunTask overrides, and the task reads the secret with its own role. A JIT config in the definition or the
  # overrides would be readable by anyone allowed ecs:Describe*.
  container_definitions = jsonencode([{
    name      = "runner"
    image     = var.image
    essential = true
    # Fargate Spot gives two minutes' warning; the runner gets all of it to deregister.
    stopTimeout = 120
    # No initProcessEnabled: an init process would be PID 1 with the task's original environment, so the job
    # (same user, or root through the image's sudo) could read AWS_CONTAINER_CREDENTIALS_RELATIVE_URI from
    # /proc/1/environ and fetch the task role's credentials. Without it the entrypoint is PID 1 and execs down
    # to run.sh after dropping the credential variables (runner/entrypoint.sh).
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.runners[0].name
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
      }
    }
  }])

  tags = merge(var.tags, {
    "runfleet:platform"     = each.key
    "runfleet:runner-class" = each.value.runner_class
  })
}
