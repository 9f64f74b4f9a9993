# The optional source check of GitHub's hook ranges (webhook.github_hook_ranges): off, the webhook module
# creates nothing for it and the producer gets no key; on, a parameter, a refresher on a schedule with its own
# least-privilege role, an errors alarm, and the producer reading that one parameter. Planned offline like
# tests/iam.tftest.hcl. Run from infra-terraform/: terraform test -filter=tests/hook_ranges.tftest.hcl

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

variables {
  name       = "runfleet-test"
  stage      = "test"
  jar        = "tests/fixtures/placeholder.jar"
  lambda     = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = null }
  table_name = "runfleet-test-jobs"
  table_arn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
  region     = "eu-west-1"
  account_id = "123456789012"
  partition  = "aws"
  tags       = {}

  platforms_json           = "[]"
  parameter_cache_seconds  = 5
  allow_parameter_arn      = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow"
  webhook_secret_parameter = "/runfleet-github/test/webhook-secret"
  max_body_bytes           = 1048576
  timeout_seconds          = 10
  throttling_rate_limit    = 100
  throttling_burst_limit   = 200
}

run "hook_ranges_disabled_by_default_creates_nothing" {
  command = plan

  module {
    source = "./modules/webhook"
  }

  assert {
    condition = (
      length(aws_ssm_parameter.hook_ranges) == 0 && length(module.refresher) == 0 &&
      length(aws_cloudwatch_event_rule.hook_ranges) == 0 && length(aws_cloudwatch_event_target.hook_ranges) == 0 &&
      length(aws_lambda_permission.hook_ranges) == 0 && length(aws_lambda_invocation.hook_ranges) == 0 &&
      length(aws_cloudwatch_metric_alarm.hook_ranges) == 0
    )
    error_message = "Without webhook.github_hook_ranges.enabled nothing of the source check is created."
  }

  assert {
    condition     = !contains(keys(local.environment), "RUNFLEET_HOOK_RANGES_PARAMETER")
    error_message = "Disabled, the producer gets no hook-ranges parameter: it checks no source."
  }

  assert {
    condition     = length([for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : s if s.Sid == "ReadHookRanges"]) == 0
    error_message = "Disabled, the producer may not read a hook-ranges parameter."
  }
}

run "hook_ranges_enabled_wires_the_parameter_refresher_schedule_and_alarm" {
  command = plan

  module {
    source = "./modules/webhook"
  }

  variables {
    hook_ranges = {
      enabled          = true
      refresh_schedule = "rate(30 minutes)"
      parameter        = "/runfleet-github/test/hook-ranges"
    }
    github_api_url = "https://ghe.example.com/api/v3"
    alarm_actions  = ["arn:aws:sns:eu-west-1:123456789012:ops"]
  }

  assert {
    condition     = local.environment.RUNFLEET_HOOK_RANGES_PARAMETER == "/runfleet-github/test/hook-ranges"
    error_message = "The producer reads the ranges from the parameter the refresher writes."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : { Action = s.Action, Resource = s.Resource } if s.Sid == "ReadHookRanges"] == [{
      Action   = "ssm:GetParameter"
      Resource = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/hook-ranges"
    }]
    error_message = "The producer may read the hook-ranges parameter, and only read it."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.refresher.json).Statement : { Sid = s.Sid, Effect = s.Effect, Action = toset(flatten([s.Action])), Resource = s.Resource }] == [{
      Sid      = "RefreshHookRanges"
      Effect   = "Allow"
      Action   = toset(["ssm:GetParameter", "ssm:PutParameter"])
      Resource = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/hook-ranges"
    }]
    error_message = "The refresher's role reads and writes that one parameter and nothing else (logs aside)."
  }

  assert {
    condition = (
      aws_ssm_parameter.hook_ranges[0].name == "/runfleet-github/test/hook-ranges" &&
      aws_ssm_parameter.hook_ranges[0].type == "String"
    )
    error_message = "The ranges live in one String parameter."
  }

  assert {
    condition = (
      aws_cloudwatch_event_rule.hook_ranges[0].schedule_expression == "rate(30 minutes)" &&
      aws_cloudwatch_event_target.hook_ranges[0].rule == aws_cloudwatch_event_rule.hook_ranges[0].name &&
      aws_lambda_permission.hook_ranges[0].principal == "events.amazonaws.com" &&
      aws_lambda_permission.hook_ranges[0].action == "lambda:InvokeFunction" &&
      aws_lambda_permission.hook_ranges[0].function_name == "runfleet-test-hook-ranges"
    )
    error_message = "EventBridge runs the refresher on the configured schedule, with permission to invoke it."
  }

  assert {
    condition = (
      module.refresher[0].function_name == "runfleet-test-hook-ranges" &&
      aws_lambda_invocation.hook_ranges[0].function_name == "runfleet-test-hook-ranges"
    )
    error_message = "The refresher also runs once at apply, so the producer does not answer 503 until the first schedule."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.hook_ranges[0].namespace == "AWS/Lambda" &&
      aws_cloudwatch_metric_alarm.hook_ranges[0].metric_name == "Errors" &&
      aws_cloudwatch_metric_alarm.hook_ranges[0].dimensions.FunctionName == "runfleet-test-hook-ranges" &&
      aws_cloudwatch_metric_alarm.hook_ranges[0].threshold == 0 &&
      aws_cloudwatch_metric_alarm.hook_ranges[0].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"])
    )
    error_message = "A failed refresh (it fails the invocation) raises an alarm."
  }
}
