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
          for m in ["WebhooksReceived", "EventsAccepted", "EventsDuplicate", "EventsIgnored", "StoreUnavailable"] :
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
          for m in ["Dispatches", "SpinUpsPublished", "TearDownsPublished", "SlotsReleased", "LaunchesAbandoned"] :
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
  ]
}

resource "aws_cloudwatch_dashboard" "fleet" {
  count = var.dashboard ? 1 : 0

  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}
