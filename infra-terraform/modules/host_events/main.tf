# Host ends as events: EventBridge rules for EC2 spot interruption warnings and for the runner cluster's ECS tasks
# that stop feed one function (HostEventsHandler), which records each end at once. Events carry no tags: the
# function reads the host's runfleet:stage tag (one Describe call) and ignores hosts that are not this stage's.

locals {
  dlq_name = "${var.name}-host-events-dlq"
  # Known at plan time, so the function's policy is too.
  dlq_arn           = "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${local.dlq_name}"
  secret_arn_prefix = "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${var.jit_secret_prefix}"
  ecs_task_arns     = var.watch_tasks ? ["${replace(var.ecs_cluster_arn, ":cluster/", ":task/")}/*"] : []

  # EventBridge filters what it can: the detail type, and for tasks the runner cluster and the STOPPED status.
  # A spot warning names only the instance, so every interruption in the account and region reaches the function,
  # which drops the ones not tagged with this stage.
  patterns = merge(
    var.watch_spot_instances ? {
      spot_interruptions = {
        source        = ["aws.ec2"]
        "detail-type" = ["EC2 Spot Instance Interruption Warning"]
      }
    } : {},
    !var.watch_tasks ? {} : {
      tasks_stopped = {
        source        = ["aws.ecs"]
        "detail-type" = ["ECS Task State Change"]
        detail        = { clusterArn = [var.ecs_cluster_arn], lastStatus = ["STOPPED"] }
      }
    },
  )

  environment = merge(
    {
      RUNFLEET_TABLE                  = var.table_name
      RUNFLEET_PLATFORMS              = var.platforms_json
      RUNFLEET_STAGE                  = var.stage
      RUNFLEET_AWS_CALL_TIMEOUT_MS    = tostring(min(8000, floor(var.timeout_seconds * 1000 / 3)))
      RUNFLEET_GITHUB_PRIVATE_KEY_ARN = var.private_key_secret_arn
      RUNFLEET_GITHUB_API_URL         = var.github_api_url
      RUNFLEET_JIT_SECRET_PREFIX      = var.jit_secret_prefix
    },
    var.github_app_id == null ? { RUNFLEET_GITHUB_APP_ID_PARAMETER = var.github_app_id_parameter.name } : { RUNFLEET_GITHUB_APP_ID = tostring(var.github_app_id) },
  )
}

# The GitHub App: deregister the ended runner, re-run an interrupted job.
module "github_app_access" {
  source = "../github_app_access"

  private_key_secret_arn = var.private_key_secret_arn
  app_id_parameter_arn   = var.github_app_id == null ? var.github_app_id_parameter.arn : null
  kms_key_arn            = var.kms_key_arn
  region                 = var.region
}

# An ended runner's hand-over secrets are deleted; this function never sees a config.
module "jit_cleanup" {
  source = "../jit_cleanup_policy"

  secret_arn_prefix = local.secret_arn_prefix
}

data "aws_iam_policy_document" "host_events" {
  source_policy_documents = [module.github_app_access.json, module.jit_cleanup.json]

  # Read the runner record, mark it STOPPED.
  statement {
    sid       = "RunnerStore"
    actions   = ["dynamodb:GetItem", "dynamodb:UpdateItem"]
    resources = [var.table_arn]
  }

  # The owner of an interrupted instance: its tags. DescribeInstances has no resource-level permission.
  dynamic "statement" {
    for_each = var.watch_spot_instances ? [1] : []
    content {
      sid       = "ReadInstanceTags"
      actions   = ["ec2:DescribeInstances"]
      resources = ["*"]
    }
  }

  # The owner of a stopped task: its tags, and only in the runner cluster.
  dynamic "statement" {
    for_each = var.watch_tasks ? [1] : []
    content {
      sid       = "ReadTaskTags"
      actions   = ["ecs:DescribeTasks"]
      resources = local.ecs_task_arns
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = [var.ecs_cluster_arn]
      }
    }
  }

  # Lambda's on-failure destination for an event the function failed on after its retries.
  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [local.dlq_arn]
  }
}

module "function" {
  source = "../lambda"

  name               = "${var.name}-host-events"
  description        = "runfleet host events: records spot interruptions and stopped runner tasks at once"
  handler            = "dev.runfleet.orchestrators.hostevents.HostEventsHandler::handleRequest"
  jar                = var.jar
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  environment        = local.environment
  policy_json        = data.aws_iam_policy_document.host_events.json
  tags               = var.tags
}

# Events EventBridge could not deliver, and events the function failed on after Lambda's retries.
resource "aws_sqs_queue" "dlq" {
  name                      = local.dlq_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

data "aws_iam_policy_document" "dlq" {
  statement {
    sid       = "EventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for r in aws_cloudwatch_event_rule.host_ends : r.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "dlq" {
  count     = length(local.patterns) == 0 ? 0 : 1
  queue_url = aws_sqs_queue.dlq.id
  policy    = data.aws_iam_policy_document.dlq.json
}

resource "aws_cloudwatch_event_rule" "host_ends" {
  for_each = local.patterns

  name          = "${var.name}-${replace(each.key, "_", "-")}"
  description   = "runfleet: host ends for the host-events function"
  event_pattern = jsonencode(each.value)
  tags          = var.tags
}

resource "aws_cloudwatch_event_target" "host_ends" {
  for_each = local.patterns

  rule = aws_cloudwatch_event_rule.host_ends[each.key].name
  arn  = module.function.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }

  dead_letter_config {
    arn = aws_sqs_queue.dlq.arn
  }
}

resource "aws_lambda_permission" "host_ends" {
  for_each = local.patterns

  statement_id  = "AllowEventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.host_ends[each.key].arn
}

# EventBridge invokes asynchronously: an end that cannot be recorded now (host API or GitHub throttled) is
# retried twice by Lambda, then kept in the dead-letter queue.
resource "aws_lambda_function_event_invoke_config" "host_ends" {
  function_name                = module.function.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.dlq.arn
    }
  }
}

# ---- metrics and alarms ----

# An event in the dead-letter queue is a host end nobody recorded: its slot waits for the reconciler.
resource "aws_cloudwatch_metric_alarm" "dlq" {
  alarm_name          = "${var.name}-host-events-dlq"
  alarm_description   = "A host end was not recorded (delivery failed, or the function failed after its retries); see the queue."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  tags                = var.tags
}

# HostEnds' own signals (Powertools metrics, namespace runfleet, service=host-events): a job lost at GitHub to an
# interruption that was not re-run, or whose re-run GitHub refused.
resource "aws_cloudwatch_metric_alarm" "signals" {
  for_each = {
    reruns-failed             = "RerunsFailed"
    jobs-lost-to-interruption = "JobsLostToInterruption"
    host-events-poison        = "HostEventsPoison"
  }

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = "runfleet host events: ${each.value} > 0 (see the host-events function's log)."
  namespace           = "runfleet"
  metric_name         = each.value
  dimensions          = { service = "host-events" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  tags                = var.tags
}
