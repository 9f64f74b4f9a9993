# One Java Lambda function with its own role, log group and policies. Every runfleet function is built here,
# so each gets the same runtime settings, log retention and the same least-privilege shape.

locals {
  # Tiered compilation stopped at C1 shortens a Java cold start noticeably for short-lived invocations.
  runtime_environment = {
    JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }
  s3_key = "runfleet/${var.name}/${filemd5(var.jar)}.jar"
}

data "aws_iam_policy_document" "assume" {
  statement {
    sid     = "LambdaAssumesRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  description        = "runfleet function ${var.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "logs" {
  name   = "logs"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.logs.json
}

resource "aws_iam_role_policy" "function" {
  name   = "function"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

# The jar goes through S3, never as a direct upload (50 MB limit); its key names its content, so a new build is a
# new object and the function's code changes with source_code_hash.
resource "aws_s3_object" "jar" {
  bucket      = var.s3_bucket
  key         = local.s3_key
  source      = var.jar
  source_hash = filemd5(var.jar)
  tags        = var.tags
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.this.arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = var.handler
  s3_bucket        = aws_s3_object.jar.bucket
  s3_key           = aws_s3_object.jar.key
  source_code_hash = filebase64sha256(var.jar)
  memory_size      = var.memory_size
  timeout          = var.timeout_seconds

  reserved_concurrent_executions = var.reserved_concurrency

  # SnapStart: Lambda initialises each published version once, runs the function's org.crac priming
  # (beforeCheckpoint), snapshots the JVM and resumes later cold starts from the snapshot instead of starting a
  # JVM. It applies to published versions only, so every deploy publishes one and the callers invoke it
  # through the `live` alias below, never $LATEST.
  publish = true

  snap_start {
    apply_on = "PublishedVersions"
  }

  environment {
    variables = merge(local.runtime_environment, var.environment)
  }

  tags = var.tags

  # The log group and the right to write to it exist before the first invocation, so Lambda never creates an
  # unmanaged group without retention.
  depends_on = [aws_iam_role_policy.logs, aws_iam_role_policy.function]
}

# What API Gateway and the event source mappings invoke: the version this deploy published (SnapStart only
# resumes published versions). Moving the alias is the deploy's switch-over.
resource "aws_lambda_alias" "live" {
  name             = "live"
  description      = "The published version callers invoke (SnapStart)"
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}
