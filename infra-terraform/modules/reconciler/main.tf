# The reconciler: a scheduled function that compares the jobs table with GitHub and the hosts and repairs each gap
# (ReconcilerHandler). Its role reads the table's status index, writes job and runner repairs, publishes spin-ups
# and tear-downs, looks jobs and runners up at GitHub through the App, and describes tasks and instances.

locals {
  environment = merge(
    {
      RUNFLEET_TABLE                         = var.table_name
      RUNFLEET_TOPIC_ARN                     = var.topic_arn
      RUNFLEET_PLATFORMS                     = var.platforms_json
      RUNFLEET_STAGE                         = var.stage
      RUNFLEET_PARAMETER_CACHE_SECONDS       = tostring(var.parameter_cache_seconds)
      RUNFLEET_AWS_CALL_TIMEOUT_MS           = tostring(min(8000, floor(var.timeout_seconds * 1000 / 3)))
      RUNFLEET_MAX_LAUNCH_ATTEMPTS           = tostring(var.max_launch_attempts)
      RUNFLEET_JOB_STUCK_SECONDS             = tostring(var.settings.job_stuck_seconds)
      RUNFLEET_SPIN_UP_DEADLINE_SECONDS      = tostring(var.settings.spin_up_deadline_seconds)
      RUNFLEET_BOOT_DEADLINE_EC2_SECONDS     = tostring(var.settings.boot_deadline_ec2_seconds)
      RUNFLEET_BOOT_DEADLINE_FARGATE_SECONDS = tostring(var.settings.boot_deadline_fargate_seconds)
      RUNFLEET_MAX_RUNNER_SECONDS            = tostring(var.settings.max_runner_seconds)
      RUNFLEET_BUSY_GRACE_SECONDS            = tostring(var.settings.busy_grace_seconds)
      RUNFLEET_REDELIVERY_LOOKBACK_SECONDS   = tostring(var.settings.redelivery_lookback_seconds)
      RUNFLEET_REDELIVERIES_PER_PASS         = tostring(var.settings.redeliveries_per_pass)
      RUNFLEET_GITHUB_PRIVATE_KEY_ARN        = var.private_key_secret_arn
      RUNFLEET_GITHUB_API_URL                = var.github_api_url
    },
    var.github_app_id == null ? { RUNFLEET_GITHUB_APP_ID_PARAMETER = var.github_app_id_parameter.name } : { RUNFLEET_GITHUB_APP_ID = tostring(var.github_app_id) },
    var.ecs_cluster_arn == null ? {} : { RUNFLEET_ECS_CLUSTER = var.ecs_cluster_arn },
  )
}

# The GitHub App: look jobs and runners up; read the App's webhook delivery log and ask for redeliveries (the App's JWT).
module "github_app_access" {
  source = "../github_app_access"

  private_key_secret_arn = var.private_key_secret_arn
  app_id_parameter_arn   = var.github_app_id == null ? var.github_app_id_parameter.arn : null
  kms_key_arn            = var.kms_key_arn
  region                 = var.region
}

data "aws_iam_policy_document" "reconciler" {
  source_policy_documents = [module.github_app_access.json]

  statement {
    sid       = "ListByStatus"
    actions   = ["dynamodb:Query"]
    resources = ["${var.table_arn}/index/status-index"]
  }

  statement {
    sid = "RecordRepairs"
    # GetItem: a job's runner, the delivery log progress and guids asked for; PutItem: a job's state at GitHub
    # (conditional on its version), the delivery log progress, a guid asked for; UpdateItem: a runner failed, or its
    # spin-up sent again.
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [var.table_arn]
  }

  statement {
    sid       = "PublishCommands"
    actions   = ["sns:Publish"]
    resources = [var.topic_arn]
  }

  statement {
    sid       = "ReadCallBudgets"
    actions   = ["ssm:GetParameter"]
    resources = ["${trimsuffix(var.parameters_path_arn, "/*")}/reconcile/*"]
  }

  dynamic "statement" {
    for_each = var.ecs_cluster_arn == null ? [] : [var.ecs_cluster_arn]
    content {
      sid       = "DescribeRunnerTasks"
      actions   = ["ecs:DescribeTasks"]
      resources = ["${replace(statement.value, ":cluster/", ":task/")}/*"]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [statement.value]
      }
    }
  }

  statement {
    sid     = "DescribeRunnerInstances"
    actions = ["ec2:DescribeInstances"]
    # Describe calls take no resource: the API authorises them only on "*".
    resources = ["*"]
  }
}

module "reconciler" {
  source = "../lambda"

  name               = "${var.name}-reconciler"
  description        = "runfleet reconciler: repairs gaps between the jobs table, GitHub and the hosts"
  handler            = "dev.runfleet.orchestrators.reconcile.ReconcilerHandler::handleRequest"
  jar                = var.jar
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  # One pass at a time: a pass that overlaps the next would repair the same gaps twice (harmlessly, but twice).
  reserved_concurrency = 1
  environment          = local.environment
  policy_json          = data.aws_iam_policy_document.reconciler.json
  tags                 = var.tags
}

resource "aws_cloudwatch_event_rule" "reconcile" {
  name                = "${var.name}-reconciler"
  description         = "One reconciler pass: stuck jobs, lost spin-ups, dead hosts, boot deadlines, maximum lifetime"
  schedule_expression = var.schedule
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "reconcile" {
  rule = aws_cloudwatch_event_rule.reconcile.name
  arn  = module.reconciler.arn
}

resource "aws_lambda_permission" "reconcile" {
  statement_id  = "AllowReconcileSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.reconciler.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.reconcile.arn
}
