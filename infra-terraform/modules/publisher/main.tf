# Flow control: the publisher consumes the jobs table's stream and meters runner commands onto the topic; the
# sweep re-runs dispatch on a schedule so a raised cap or a resumed fleet acts without waiting for a webhook.
# Dispatch passes run in the wake-up function, one at a time for the fleet (a lease on the jobs table's dispatcher
# item): a stream batch that makes a platform dispatchable counts a request and, when no pass runs, sends a wake-up
# with no delay (ScheduleWakeUps), so the stream's batches never run a pass. A pass never waits for the launch
# budget: when it is spent, it sends a delayed wake-up for the moment the budget refills.

locals {
  environment = {
    RUNFLEET_TABLE               = var.table_name
    RUNFLEET_TOPIC_ARN           = var.topic_arn
    RUNFLEET_PLATFORMS           = var.platforms_json
    RUNFLEET_GLOBAL_CAP          = tostring(var.global_cap)
    RUNFLEET_MAX_LAUNCH_ATTEMPTS = tostring(var.max_launch_attempts)
    # Without it the publisher would read the parameters of stage "dev".
    RUNFLEET_STAGE                   = var.stage
    RUNFLEET_PARAMETER_CACHE_SECONDS = tostring(var.parameter_cache_seconds)
    RUNFLEET_AWS_CALL_TIMEOUT_MS     = tostring(min(8000, floor(var.timeout_seconds * 1000 / 3)))
    RUNFLEET_RUNNER_IDLE_SECONDS     = tostring(var.runner_idle_seconds)
    # Ceilings over the SSM knobs: whoever writes a parameter cannot go above them.
    RUNFLEET_MAX_CAP_PER_PLATFORM = tostring(var.max_cap_per_platform)
    RUNFLEET_MAX_LAUNCH_RATE      = tostring(var.max_launch_rate)
    RUNFLEET_WAKE_UP_QUEUE_URL    = aws_sqs_queue.wake_up.url
  }
}

data "aws_iam_policy_document" "dispatch" {
  statement {
    sid = "FlowControlStore"
    # Get/Update/Put: slot reservations and releases, the job's move to DISPATCHED and the runner's owner
    # record, partly inside TransactWriteItems (which is authorised per item action).
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [var.table_arn]
  }

  statement {
    sid       = "OldestQueuedFirst"
    actions   = ["dynamodb:Query"]
    resources = ["${var.table_arn}/index/queue-index"]
  }

  statement {
    sid = "PublishCommands"
    # sns:Publish also authorises PublishBatch, which sends a stream batch's commands ten at a time.
    # GetTopicAttributes is the SnapStart priming's read (PublisherPriming): it loads the SNS client's call
    # path into the snapshot without publishing anything.
    actions   = ["sns:GetTopicAttributes", "sns:Publish"]
    resources = [var.topic_arn]
  }

  statement {
    sid = "ScheduleWakeUps"
    # GetQueueAttributes: the SnapStart priming's read of the wake-up queue (PublisherPriming).
    actions   = ["sqs:GetQueueAttributes", "sqs:SendMessage"]
    resources = [aws_sqs_queue.wake_up.arn]
  }

  statement {
    sid     = "ReadRuntimeParameters"
    actions = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    # The parameters under the path, and the path itself for GetParametersByPath.
    resources = [var.parameters_path_arn, trimsuffix(var.parameters_path_arn, "/*")]
  }
}

data "aws_iam_policy_document" "publisher" {
  source_policy_documents = [data.aws_iam_policy_document.dispatch.json]

  statement {
    sid       = "ReadTableStream"
    actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    resources = [var.stream_arn]
  }

  statement {
    sid     = "ListTableStreams"
    actions = ["dynamodb:ListStreams"]
    # ListStreams takes no resource: the API authorises it only on "*".
    resources = ["*"]
  }

  statement {
    sid       = "SendFailedBatches"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.stream_failures.arn]
  }
}

module "publisher" {
  source = "../lambda"

  name               = "${var.name}-publisher"
  description        = "runfleet publisher: turns jobs-table stream records into runner commands under caps"
  handler            = "dev.runfleet.publisher.PublisherHandler::handleRequest"
  jar                = var.jar
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  environment        = local.environment
  policy_json        = data.aws_iam_policy_document.publisher.json
  tags               = var.tags
}

module "sweep" {
  source = "../lambda"

  name               = "${var.name}-publisher-sweep"
  description        = "runfleet sweep: re-runs dispatch for every platform on a schedule"
  handler            = "dev.runfleet.publisher.PublisherSweepHandler::handleRequest"
  jar                = var.jar
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  # One sweep at a time: overlapping sweeps would only contend for the same slots.
  reserved_concurrency = 1
  environment          = local.environment
  policy_json          = data.aws_iam_policy_document.dispatch.json
  tags                 = var.tags
}

data "aws_iam_policy_document" "wake_up" {
  source_policy_documents = [data.aws_iam_policy_document.dispatch.json]

  statement {
    sid       = "ConsumeWakeUps"
    actions   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    resources = [aws_sqs_queue.wake_up.arn]
  }
}

module "wake_up" {
  source = "../lambda"

  name               = "${var.name}-publisher-wake-up"
  description        = "runfleet wake-up: runs the fleet's dispatch passes, asked for by stream batches or a refilled budget"
  handler            = "dev.runfleet.publisher.PublisherWakeUpHandler::handleRequest"
  jar                = var.jar
  runtime            = var.lambda.runtime
  architecture       = var.lambda.architecture
  memory_size        = var.lambda.memory_size
  timeout_seconds    = var.timeout_seconds
  log_retention_days = var.lambda.log_retention_days
  s3_bucket          = var.lambda.s3_bucket
  environment        = local.environment
  policy_json        = data.aws_iam_policy_document.wake_up.json
  tags               = var.tags
}

# The publisher's own delayed messages (DelaySeconds, rounded up to the refill); the table holds the one pending
# wake-up, so the queue carries at most a few. A wake-up whose pass keeps failing goes to the dead-letter queue
# (the sweep still dispatches meanwhile), where its alarm shows that dispatch itself is failing.
resource "aws_sqs_queue" "wake_up" {
  name                       = "${var.name}-publisher-wake-up"
  visibility_timeout_seconds = var.timeout_seconds
  message_retention_seconds  = 3600
  sqs_managed_sse_enabled    = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.wake_up_dlq.arn
    maxReceiveCount     = 5
  })
  tags = var.tags
}

resource "aws_sqs_queue" "wake_up_dlq" {
  name                      = "${var.name}-publisher-wake-up-dlq"
  message_retention_seconds = 1209600 # 14 days, SQS's maximum
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

# A wake-up waits at most 900 s by design (SQS's longest delay): older than that plus a margin, nobody consumes it.
resource "aws_cloudwatch_metric_alarm" "wake_up_age" {
  alarm_name          = "${aws_sqs_queue.wake_up.name}-stale"
  alarm_description   = "Publisher wake-ups wait longer than their longest delay: the wake-up function is not consuming them."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.wake_up.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1200
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "wake_up_dlq" {
  alarm_name          = "${aws_sqs_queue.wake_up_dlq.name}-not-empty"
  alarm_description   = "Dispatch passes asked for by wake-ups failed five times: the publisher cannot dispatch (table, topic or parameters)."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.wake_up_dlq.name }
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

resource "aws_lambda_event_source_mapping" "wake_up" {
  function_name                      = module.wake_up.arn
  event_source_arn                   = aws_sqs_queue.wake_up.arn
  batch_size                         = 10
  maximum_batching_window_in_seconds = 0
  function_response_types            = ["ReportBatchItemFailures"]

  # The dispatcher lease lets one pass run at a time; a second invocation only counts its request for it.
  scaling_config {
    maximum_concurrency = 2
  }
}

# Where a batch goes after its bounded retries, so one poison record cannot stall a shard.
resource "aws_sqs_queue" "stream_failures" {
  name                      = "${var.name}-publisher-failures"
  message_retention_seconds = 1209600 # 14 days, SQS's maximum
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_lambda_event_source_mapping" "stream" {
  function_name                      = module.publisher.alias_arn
  event_source_arn                   = var.stream_arn
  starting_position                  = "TRIM_HORIZON"
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  parallelization_factor             = var.parallelization_factor
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.maximum_record_age
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.stream_failures.arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "stream_failures" {
  alarm_name          = "${aws_sqs_queue.stream_failures.name}-not-empty"
  alarm_description   = "Stream records the publisher gave up on after its retries: the message names the shard and sequence range to replay."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.stream_failures.name }
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

resource "aws_cloudwatch_event_rule" "sweep" {
  name                = "${var.name}-publisher-sweep"
  description         = "Re-runs dispatch: caps raised or the fleet resumed take effect without a webhook"
  schedule_expression = var.sweep_schedule
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "sweep" {
  rule = aws_cloudwatch_event_rule.sweep.name
  arn  = module.sweep.arn
}

resource "aws_lambda_permission" "sweep" {
  statement_id  = "AllowSweepSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.sweep.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.sweep.arn
}
