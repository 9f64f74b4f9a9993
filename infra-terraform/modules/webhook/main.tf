# GitHub's webhook in: API Gateway HTTP API (POST /webhook, throttled, access-logged) -> producer function,
# which verifies the signature and appends the event to the jobs table. It never calls SNS, SQS or GitHub.

locals {
  function_name = "${var.name}-producer"

  # SSM parameter ARNs drop the name's leading slash.
  secret_parameter_arns = [
    for p in [var.webhook_secret_parameter, var.previous_webhook_secret_parameter] :
    "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter/${trimprefix(p, "/")}" if p != null
  ]

  # GitHub's hook ranges, when the front door checks callers against them: one String parameter, read by the
  # producer, written only by the refresher.
  hook_ranges_enabled       = var.hook_ranges.enabled
  hook_ranges_parameter_arn = "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter/${trimprefix(var.hook_ranges.parameter, "/")}"
  refresher_name            = "${var.name}-hook-ranges"

  environment = merge(
    {
      RUNFLEET_TABLE                = var.table_name
      RUNFLEET_WEBHOOK_SECRET_PARAM = var.webhook_secret_parameter
      RUNFLEET_PLATFORMS            = var.platforms_json
      RUNFLEET_MAX_BODY_BYTES       = tostring(var.max_body_bytes)
      # Queued events of jobs older than this are replays: refused "stale", never recorded.
      RUNFLEET_MAX_EVENT_AGE_SECONDS = tostring(var.max_event_age_seconds)
      # The allow-list is /runfleet/<stage>/allow, cached this long.
      RUNFLEET_STAGE                   = var.stage
      RUNFLEET_PARAMETER_CACHE_SECONDS = tostring(var.parameter_cache_seconds)
      # SDK calls give up well before the function does, leaving time to answer GitHub.
      RUNFLEET_AWS_CALL_TIMEOUT_MS = tostring(floor(var.timeout_seconds * 1000 / 2))
    },
    var.previous_webhook_secret_parameter == null ? {} : {
      RUNFLEET_WEBHOOK_SECRET_PREVIOUS_PARAM = var.previous_webhook_secret_parameter
    },
    local.hook_ranges_enabled ? { RUNFLEET_HOOK_RANGES_PARAMETER = var.hook_ranges.parameter } : {},
  )
}

data "aws_iam_policy_document" "producer" {
  statement {
    sid = "AppendEvents"
    # TransactWriteItems is authorised per action: PutItem for the conditional puts, UpdateItem for the
    # blind advance of a job; GetItem reads the job after a transaction conflict.
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [var.table_arn]
  }

  statement {
    sid       = "ReadWebhookSecret"
    actions   = ["ssm:GetParameter"]
    resources = local.secret_parameter_arns
  }

  # Also before the parameter exists: an operator may create it any time (`runfleet allow set`).
  statement {
    sid       = "ReadAllowList"
    actions   = ["ssm:GetParameter"]
    resources = [var.allow_parameter_arn]
  }

  dynamic "statement" {
    for_each = local.hook_ranges_enabled ? [local.hook_ranges_parameter_arn] : []
    content {
      sid       = "ReadHookRanges"
      actions   = ["ssm:GetParameter"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptWebhookSecret"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${var.region}.amazonaws.com"]
      }
    }
  }
}

module "producer" {
  source = "../lambda"

  name            = local.function_name
  description     = "runfleet producer: verifies GitHub webhooks and appends workflow_job events"
  handler         = "dev.runfleet.producer.ProducerHandler::handleRequest"
  jar             = var.jar
  runtime         = var.lambda.runtime
  architecture    = var.lambda.architecture
  memory_size     = var.lambda.memory_size
  timeout_seconds = var.timeout_seconds
  # A flood of deliveries (forged ones fail the signature check, but still run) cannot take the account's
  # whole Lambda concurrency from the publisher and the orchestrators.
  reserved_concurrency = var.reserved_concurrency
  log_retention_days   = var.lambda.log_retention_days
  s3_bucket            = var.lambda.s3_bucket
  environment          = local.environment
  policy_json          = data.aws_iam_policy_document.producer.json
  tags                 = var.tags
}

resource "aws_apigatewayv2_api" "webhook" {
  name          = "${var.name}-webhook"
  description   = "GitHub App webhook for runfleet ${var.name}"
  protocol_type = "HTTP"
  tags          = var.tags
}

# Invokes the producer's live alias, not $LATEST: SnapStart resumes published versions only.
resource "aws_apigatewayv2_integration" "producer" {
  api_id                 = aws_apigatewayv2_api.webhook.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.producer.alias_invoke_arn
  integration_method     = "POST"
  payload_format_version = "2.0"
  timeout_milliseconds   = var.timeout_seconds * 1000
}

resource "aws_apigatewayv2_route" "webhook" {
  api_id    = aws_apigatewayv2_api.webhook.id
  route_key = "POST /webhook"
  target    = "integrations/${aws_apigatewayv2_integration.producer.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}-webhook"
  retention_in_days = var.lambda.log_retention_days
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.webhook.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId        = "$context.requestId"
      requestTime      = "$context.requestTime"
      ip               = "$context.identity.sourceIp"
      routeKey         = "$context.routeKey"
      status           = "$context.status"
      responseLength   = "$context.responseLength"
      integrationError = "$context.integrationErrorMessage"
      latencyMs        = "$context.responseLatency"
      integrationMs    = "$context.integrationLatency"
      userAgent        = "$context.identity.userAgent"
    })
  }

  tags = var.tags
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowWebhookRoute"
  action        = "lambda:InvokeFunction"
  function_name = module.producer.function_name
  qualifier     = module.producer.alias_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.webhook.execution_arn}/*/POST/webhook"
}

# The front door's alarms: throttled deliveries (429, GitHub does not retry them) counted from the access log,
# and the share of 4xx answers (bad signatures, malformed or oversized bodies, throttles) over all requests.
resource "aws_cloudwatch_log_metric_filter" "throttled" {
  name           = "${var.name}-webhook-throttled"
  log_group_name = aws_cloudwatch_log_group.access.name
  pattern        = "{ $.status = \"429\" }"

  metric_transformation {
    name          = "WebhookThrottled"
    namespace     = "runfleet"
    value         = "1"
    default_value = "0"
    dimensions    = {}
  }
}

resource "aws_cloudwatch_metric_alarm" "throttled" {
  alarm_name          = "${var.name}-webhook-throttled"
  alarm_description   = "API Gateway throttled webhook deliveries (429): GitHub does not retry them; raise webhook.throttling_* or redeliver from the App's page."
  namespace           = "runfleet"
  metric_name         = aws_cloudwatch_log_metric_filter.throttled.metric_transformation[0].name
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

resource "aws_cloudwatch_metric_alarm" "client_errors" {
  alarm_name          = "${var.name}-webhook-4xx-rate"
  alarm_description   = "More than ${var.client_error_alarm_percent}% of webhook requests answered 4xx: forged or misconfigured deliveries (wrong secret), or throttling."
  evaluation_periods  = 1
  threshold           = var.client_error_alarm_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags

  metric_query {
    id          = "rate"
    expression  = "IF(requests >= 10, 100 * errors / requests, 0)"
    label       = "4xx (%)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "4xx"
      dimensions  = { ApiId = aws_apigatewayv2_api.webhook.id, Stage = "$default" }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApiGateway"
      metric_name = "Count"
      dimensions  = { ApiId = aws_apigatewayv2_api.webhook.id, Stage = "$default" }
      stat        = "Sum"
      period      = 300
    }
  }
}

# GitHub's hook ranges (webhook.github_hook_ranges): the parameter the producer checks callers against, and the
# refresher that copies GitHub's meta API into it on a schedule. The refresher runs the producer's jar with its
# own handler and its own role, which may read and write that one parameter and nothing else.
resource "aws_ssm_parameter" "hook_ranges" {
  count = local.hook_ranges_enabled ? 1 : 0

  name        = var.hook_ranges.parameter
  description = "GitHub's webhook source ranges (meta API hooks), comma-separated CIDR blocks, written by ${local.refresher_name}"
  type        = "String"
  # Not a list of ranges: the producer answers 503 until the refresher's first run (at apply, below) replaces it.
  value = "pending: ${local.refresher_name} has not run yet"
  tags  = var.tags

  lifecycle {
    # The refresher owns the value; an apply never puts the placeholder back.
    ignore_changes = [value]
  }
}

data "aws_iam_policy_document" "refresher" {
  statement {
    sid       = "RefreshHookRanges"
    actions   = ["ssm:GetParameter", "ssm:PutParameter"]
    resources = [local.hook_ranges_parameter_arn]
  }
}

module "refresher" {
  source = "../lambda"
  count  = local.hook_ranges_enabled ? 1 : 0

  name            = local.refresher_name
  description     = "runfleet hook ranges: copies GitHub's meta API hooks list into ${var.hook_ranges.parameter}"
  handler         = "dev.runfleet.producer.hookranges.HookRangesRefreshHandler::handleRequest"
  jar             = var.jar
  runtime         = var.lambda.runtime
  architecture    = var.lambda.architecture
  memory_size     = var.lambda.memory_size
  timeout_seconds = 30
  # One run at a time: two would only write the same list.
  reserved_concurrency = 1
  log_retention_days   = var.lambda.log_retention_days
  s3_bucket            = var.lambda.s3_bucket
  environment = {
    RUNFLEET_HOOK_RANGES_PARAMETER = var.hook_ranges.parameter
    RUNFLEET_GITHUB_API_URL        = var.github_api_url
    RUNFLEET_AWS_CALL_TIMEOUT_MS   = "10000"
  }
  policy_json = data.aws_iam_policy_document.refresher.json
  tags        = var.tags

  depends_on = [aws_ssm_parameter.hook_ranges]
}

resource "aws_cloudwatch_event_rule" "hook_ranges" {
  count = local.hook_ranges_enabled ? 1 : 0

  name                = local.refresher_name
  description         = "Refreshes GitHub's hook ranges, which the producer checks webhook callers against"
  schedule_expression = var.hook_ranges.refresh_schedule
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "hook_ranges" {
  count = local.hook_ranges_enabled ? 1 : 0

  rule = aws_cloudwatch_event_rule.hook_ranges[0].name
  arn  = module.refresher[0].arn
}

resource "aws_lambda_permission" "hook_ranges" {
  count = local.hook_ranges_enabled ? 1 : 0

  statement_id  = "AllowHookRangesSchedule"
  action        = "lambda:InvokeFunction"
  function_name = module.refresher[0].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.hook_ranges[0].arn
}

# The first fill, at apply: without it the producer would answer 503 until the first scheduled run. A failed
# run (GitHub unreachable, an invalid list) fails the apply rather than leave the front door shut.
resource "aws_lambda_invocation" "hook_ranges" {
  count = local.hook_ranges_enabled ? 1 : 0

  function_name = module.refresher[0].function_name
  input         = jsonencode({})
  triggers = {
    parameter = aws_ssm_parameter.hook_ranges[0].name
    api       = var.github_api_url
  }
}

resource "aws_cloudwatch_metric_alarm" "hook_ranges" {
  count = local.hook_ranges_enabled ? 1 : 0

  alarm_name          = "${local.refresher_name}-failed"
  alarm_description   = "The hook-ranges refresher failed (GitHub unreachable, or an empty or invalid hooks list): ${var.hook_ranges.parameter} keeps its last value; see the function's ERROR line."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = module.refresher[0].function_name }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}
