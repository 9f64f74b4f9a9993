# The command bus: the runner-commands topic, and per platform a queue, its dead-letter queue, a subscription
# that lets through only that platform's commands, and alarms on both queues.

locals {
  platforms = toset(var.platforms)
}

resource "aws_sns_topic" "commands" {
  name = "${var.name}-runner-commands"
  tags = var.tags
}

resource "aws_sqs_queue" "dlq" {
  for_each = local.platforms

  name                      = "${var.name}-${each.key}-dlq"
  message_retention_seconds = 1209600 # 14 days, SQS's maximum: time to inspect and redrive
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "commands" {
  for_each = local.platforms

  name                       = "${var.name}-${each.key}"
  visibility_timeout_seconds = var.visibility_timeout
  message_retention_seconds  = 86400 # GitHub cancels a job queued for 24 h: older commands are moot
  receive_wait_time_seconds  = 20
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[each.key].arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags
}

data "aws_iam_policy_document" "topic_to_queue" {
  for_each = local.platforms

  statement {
    sid       = "TopicDelivers"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.commands[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.commands.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "commands" {
  for_each = local.platforms

  queue_url = aws_sqs_queue.commands[each.key].id
  policy    = data.aws_iam_policy_document.topic_to_queue[each.key].json
}

resource "aws_sns_topic_subscription" "commands" {
  for_each = local.platforms

  topic_arn            = aws_sns_topic.commands.arn
  protocol             = "sqs"
  endpoint             = aws_sqs_queue.commands[each.key].arn
  raw_message_delivery = true
  filter_policy_scope  = "MessageAttributes"
  # The file the Java local runtime routes with: AWS and local routing cannot drift apart.
  filter_policy = file("${var.filter_policies_dir}/${each.key}.json")

  depends_on = [aws_sqs_queue_policy.commands]

  lifecycle {
    precondition {
      condition     = fileexists("${var.filter_policies_dir}/${each.key}.json")
      error_message = "Platform ${each.key} has no filter policy: add common/src/main/resources/filter-policies/${each.key}.json (the Java local runtime reads it too)."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  for_each = local.platforms

  alarm_name          = "${aws_sqs_queue.dlq[each.key].name}-not-empty"
  alarm_description   = "Commands for ${each.key} failed ${var.max_receive_count} times and wait in the dead-letter queue: read the orchestrator's log, fix, then redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq[each.key].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each = local.platforms

  alarm_name          = "${aws_sqs_queue.commands[each.key].name}-oldest-command"
  alarm_description   = "A ${each.key} command waited more than ${var.queue_age_alarm_seconds} s: the orchestrator is failing, throttled or capped by its concurrency."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.commands[each.key].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.queue_age_alarm_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
