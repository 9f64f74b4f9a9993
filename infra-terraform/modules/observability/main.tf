# What the fleet is doing: an alarm per function on errors, one on the stream's lag and one on webhook 5xx
# answers (queue alarms sit beside their queues), and one dashboard over the pipeline.

resource "aws_cloudwatch_metric_alarm" "function_errors" {
  for_each = var.function_names

  alarm_name          = "${each.value}-errors"
  alarm_description   = "${each.value} failed invocations (its log group has the cause)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "stream_lag" {
  alarm_name          = "${var.stream_function_name}-stream-lag"
  alarm_description   = "The publisher is more than a minute behind the jobs table's stream: dispatch is late."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = var.stream_function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 60000
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "webhook_5xx" {
  alarm_name          = "${var.name}-webhook-5xx"
  alarm_description   = "The webhook answered 5xx: GitHub does not retry, so these deliveries need a redelivery from the App's page."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = var.api_id, Stage = "$default" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# The publisher's own signals that something upstream went wrong: a stream record it had to skip as poison
# (logged with its ids), and a slot given back only because a runner record reached its TTL (a host that
# never reported its end). Each should never happen; one is worth a look.
locals {
  publisher_signals = {
    "poison-records"            = { metric = "PoisonRecords", description = "The publisher skipped a stream record it can never process (its log line names the job or runner and why)." }
    "slots-released-on-removal" = { metric = "SlotsReleasedOnRemoval", description = "A runner record reached its TTL still holding a slot: the slot came back, but its host never reported an end (look for the runner's host)." }
  }
}

resource "aws_cloudwatch_metric_alarm" "publisher_signals" {
  for_each = local.publisher_signals

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = "runfleet"
  metric_name         = each.value.metric
  dimensions          = { service = "publisher" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# The reconciler's repairs, by kind (Repairs with dimensions service=reconciler, kind=<kind>): each is a gap the
# happy path left, so a repair that should never be needed alarms at its first occurrence, and the ones a fleet
# sees now and then (a spot host reclaimed, a lost webhook) alarm when they become frequent.
locals {
  # Every kind the reconciler counts (Reconciler's repair names), for the dashboard.
  reconciler_repair_kinds = ["spin-up-resent", "spin-up-lost", "host-gone", "boot-deadline", "max-lifetime", "job-completed", "job-started", "job-requeued", "job-given-up"]
  reconciler_repairs = {
    "spin-up-lost"   = { threshold = 0, description = "A runner stayed REQUESTED after its spin-up was sent twice: it was failed and its job queued again. The command path (SNS, SQS, orchestrator) is losing commands." }
    "job-given-up"   = { threshold = 0, description = "A job was dispatched as often as allowed and never started at GitHub: it is ignored (dispatch-limit). Its runners never took it: check labels, runner group and boots." }
    "boot-deadline"  = { threshold = 2, description = "Launched runners did not come online at GitHub by their boot deadline and were torn down: the runner image, network or GitHub reachability is failing." }
    "host-gone"      = { threshold = 5, description = "Hosts ended without their runner's end being recorded (spot reclaims, crashed hosts, dropped webhooks): slots came back through the reconciler." }
    "job-completed"  = { threshold = 5, description = "Jobs completed at GitHub whose completed webhook never reached runfleet: webhooks are being lost (see the App's delivery log)." }
    "spin-up-resent" = { threshold = 5, description = "Spin-ups were sent again for runners still REQUESTED past the deadline: commands are slow or lost." }
    "redelivered"    = { threshold = 5, description = "workflow_job webhooks that never reached runfleet were redelivered from the App's delivery log: the webhook endpoint (API Gateway, producer) is failing or timing out." }
  }
}

resource "aws_cloudwatch_metric_alarm" "reconciler_repairs" {
  for_each = local.reconciler_repairs

  alarm_name          = "${var.name}-reconciler-${each.key}"
  alarm_description   = each.value.description
  namespace           = "runfleet"
  metric_name         = "Repairs"
  dimensions          = { service = "reconciler", kind = each.key }
  statistic           = "Sum"
  period              = 900
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# Checks left to the next pass because a call budget was spent, three passes running: the budgets
# (/runfleet/<stage>/reconcile/*) are too small for the fleet, and repairs come late.
resource "aws_cloudwatch_metric_alarm" "reconciler_deferred" {
  alarm_name          = "${var.name}-reconciler-budget-spent"
  alarm_description   = "Reconciler passes keep deferring checks: raise /runfleet/<stage>/reconcile/github-calls or aws-calls (GitHub's core budget allowing)."
  namespace           = "runfleet"
  metric_name         = "ReconcileDeferred"
  dimensions          = { service = "reconciler" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

locals {
  function_list = values(var.function_names)

  widgets = [
    {
      type = "metric", x = 0, y = 0, width = 12, height = 6
      properties = {
        title  = "Webhooks (producer)"
        region = var.region
        stat   = "Sum"
        period = 60
        metrics = [
          for m in ["WebhooksReceived", "EventsAccepted", "EventsDuplicate", "EventsIgnored", "StoreUnavailable", "HookRangesUnavailable"] :
          ["runfleet", m, "service", "producer"]
        ]
      }
    },
    {
      type = "metric", x = 12, y = 0, width = 12, height = 6
      properties = {
        title  = "Dispatch (publisher)"
        region = var.region
        stat   = "Sum"
        period = 60
        metrics = [
          for m in ["Dispatches", "SpinUpsPublished", "TearDownsPublished", "SlotsReleased", "LaunchesAbandoned", "SlotsReleasedOnRemoval", "PoisonRecords"] :
          ["runfleet", m, "service", "publisher"]
        ]
      }
    },
    {
      type = "metric", x = 0, y = 6, width = 12, height = 6
      properties = {
        title   = "Job queue age at dispatch (ms)"
        region  = var.region
        period  = 60
        metrics = [["runfleet", "QueueAge", "service", "publisher", { stat = "p50" }], ["...", { stat = "p99" }]]
      }
    },
    {
      type = "metric", x = 12, y = 6, width = 12, height = 6
      properties = {
        title   = "Command queues: oldest message (s)"
        region  = var.region
        stat    = "Maximum"
        period  = 60
        metrics = [for p in var.platforms : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", var.queue_names[p]]]
      }
    },
    {
      type = "metric", x = 0, y = 12, width = 12, height = 6
      properties = {
        title   = "Dead-letter queues (messages)"
        region  = var.region
        stat    = "Maximum"
        period  = 60
        metrics = [for p in var.platforms : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", var.dlq_names[p]]]
      }
    },
    {
      type = "metric", x = 12, y = 12, width = 12, height = 6
      properties = {
        title   = "Function errors"
        region  = var.region
        stat    = "Sum"
        period  = 60
        metrics = [for fn in local.function_list : ["AWS/Lambda", "Errors", "FunctionName", fn]]
      }
    },
    {
      type = "metric", x = 0, y = 18, width = 12, height = 6
      properties = {
        title   = "Function duration p99 (ms)"
        region  = var.region
        stat    = "p99"
        period  = 60
        metrics = [for fn in local.function_list : ["AWS/Lambda", "Duration", "FunctionName", fn]]
      }
    },
    {
      type = "metric", x = 12, y = 18, width = 12, height = 6
      properties = {
        title   = "Stream lag (ms)"
        region  = var.region
        stat    = "Maximum"
        period  = 60
        metrics = [["AWS/Lambda", "IteratorAge", "FunctionName", var.stream_function_name]]
      }
    },
    {
      type = "metric", x = 0, y = 24, width = 12, height = 6
      properties = {
        title   = "Reconciler repairs by kind"
        region  = var.region
        stat    = "Sum"
        period  = 300
        metrics = [for kind in local.reconciler_repair_kinds : ["runfleet", "Repairs", "service", "reconciler", "kind", kind]]
      }
    },
    {
      type = "metric", x = 12, y = 24, width = 12, height = 6
      properties = {
        title  = "Reconciler calls per pass"
        region = var.region
        stat   = "Sum"
        period = 60
        metrics = [
          for m in ["ReconcileGitHubCalls", "ReconcileAwsCalls", "ReconcileDeferred", "ReconcileFailures"] :
          ["runfleet", m, "service", "reconciler"]
        ]
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "fleet" {
  count = var.dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}

# Every change of a runtime parameter notifies: SSM emits "Parameter Store Change" for each create, update,
# label and delete; the rule forwards those under /runfleet/<stage>/ to the alarm topics, and the alarm on the
# rule's invocations also reaches them through CloudWatch (the topic's policy must let events.amazonaws.com
# publish for the direct path; the alarm path needs nothing more than the other alarms do).
resource "aws_cloudwatch_event_rule" "parameter_changes" {
  name        = "${var.name}-parameter-changes"
  description = "A runtime parameter under ${var.parameters_path}/ changed (caps, launch rate, pause, allow-list)."
  event_pattern = jsonencode({
    source        = ["aws.ssm"]
    "detail-type" = ["Parameter Store Change"]
    detail        = { name = [{ prefix = "${var.parameters_path}/" }] }
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "parameter_changes" {
  for_each = toset(var.alarm_actions)

  rule = aws_cloudwatch_event_rule.parameter_changes.name
  arn  = each.value
  input_transformer {
    input_paths    = { name = "$.detail.name", operation = "$.detail.operation", time = "$.time" }
    input_template = "\"runfleet: runtime parameter <name> <operation> at <time> (CloudTrail PutParameter/DeleteParameter names who).\""
  }
}

resource "aws_cloudwatch_metric_alarm" "parameter_changes" {
  alarm_name          = "${var.name}-parameter-changed"
  alarm_description   = "A runtime parameter under ${var.parameters_path}/ changed: check that the change was intended (CloudTrail names who)."
  namespace           = "AWS/Events"
  metric_name         = "TriggeredRules"
  dimensions          = { RuleName = aws_cloudwatch_event_rule.parameter_changes.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
