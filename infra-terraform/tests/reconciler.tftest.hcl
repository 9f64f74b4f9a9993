# The reconciler's function, schedule and least-privilege role, and its alarms on repairs by kind. Run from
# infra-terraform/: terraform test -filter=tests/reconciler.tftest.hcl

mock_provider "aws" {
  source = "./tests/mocks"
}

variables {
  name                    = "runfleet-test"
  stage                   = "test"
  jar                     = "tests/fixtures/placeholder.jar"
  lambda                  = { runtime = "java21", architecture = "arm64", memory_size = 1024, log_retention_days = 14, s3_bucket = "artifacts" }
  max_launch_attempts     = 3
  platforms_json          = "[]"
  table_name              = "runfleet-test-jobs"
  table_arn               = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
  topic_arn               = "arn:aws:sns:eu-west-1:123456789012:runfleet-test-runner-commands"
  parameters_path_arn     = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/*"
  parameter_cache_seconds = 5
  github_app_id           = 12345
  github_api_url          = "https://api.github.com"
  private_key_secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/app-key-AbCdEf"
  ecs_cluster_arn         = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
  region                  = "eu-west-1"
  tags                    = {}
}

run "reconciler_runs_every_minute_with_its_settings" {
  command = apply

  module {
    source = "./modules/reconciler"
  }

  override_resource {
    target = module.reconciler.aws_lambda_function.this
    values = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-reconciler" }
  }

  assert {
    condition     = aws_cloudwatch_event_rule.reconcile.schedule_expression == "rate(1 minute)" && aws_cloudwatch_event_target.reconcile.arn == "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-reconciler"
    error_message = "A pass every minute, on the reconciler function."
  }

  assert {
    condition     = aws_lambda_permission.reconcile.principal == "events.amazonaws.com" && aws_lambda_permission.reconcile.source_arn == aws_cloudwatch_event_rule.reconcile.arn
    error_message = "Only the schedule rule may invoke the reconciler."
  }

  assert {
    condition = (
      local.environment.RUNFLEET_BOOT_DEADLINE_EC2_SECONDS == "300" && local.environment.RUNFLEET_BOOT_DEADLINE_FARGATE_SECONDS == "180"
      && local.environment.RUNFLEET_MAX_RUNNER_SECONDS == "21600" && local.environment.RUNFLEET_ECS_CLUSTER == "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
      && local.environment.RUNFLEET_GITHUB_APP_ID == "12345" && !contains(keys(local.environment), "RUNFLEET_GITHUB_APP_ID_PARAMETER")
    )
    error_message = "Issue 12's defaults (boot 5 min EC2, 3 min Fargate; lifetime 6 h), the cluster to describe tasks in, and exactly one App id key."
  }

  assert {
    condition     = local.environment.RUNFLEET_REDELIVERY_LOOKBACK_SECONDS == "3600" && local.environment.RUNFLEET_REDELIVERIES_PER_PASS == "10"
    error_message = "Lost-webhook redelivery: the first scan looks back an hour, at most 10 redeliveries a pass."
  }
}

run "reconciler_redelivery_settings_are_validated" {
  command = plan

  module {
    source = "./modules/reconciler"
  }

  variables {
    settings = { redelivery_lookback_seconds = 259201 }
  }

  expect_failures = [var.settings]
}

run "reconciler_redelivery_can_be_turned_off" {
  command = plan

  module {
    source = "./modules/reconciler"
  }

  variables {
    settings = { redeliveries_per_pass = 0 }
  }

  assert {
    condition     = local.environment.RUNFLEET_REDELIVERIES_PER_PASS == "0"
    error_message = "redeliveries_per_pass 0 reaches the function (it turns redelivery off)."
  }
}

run "reconciler_role_is_least_privilege" {
  command = plan

  module {
    source = "./modules/reconciler"
  }

  assert {
    condition = (
      one([for s in data.aws_iam_policy_document.reconciler.statement : s.resources if s.sid == "ListByStatus"]) == toset(["arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs/index/status-index"])
      && one([for s in data.aws_iam_policy_document.reconciler.statement : s.resources if s.sid == "PublishCommands"]) == toset(["arn:aws:sns:eu-west-1:123456789012:runfleet-test-runner-commands"])
      && one([for s in data.aws_iam_policy_document.reconciler.statement : s.resources if s.sid == "ReadCallBudgets"]) == toset(["arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/reconcile/*"])
      && one([for s in data.aws_iam_policy_document.reconciler.statement : s.resources if s.sid == "DescribeRunnerTasks"]) == toset(["arn:aws:ecs:eu-west-1:123456789012:task/runfleet-test-runners/*"])
    )
    error_message = "The status index only, the command topic only, the reconcile parameters only, the runner cluster's tasks only."
  }

  assert {
    condition     = alltrue([for s in data.aws_iam_policy_document.reconciler.statement : !anytrue([for a in s.actions : can(regex("^(ec2:(Run|Terminate|CreateFleet)|ecs:(RunTask|StopTask)|secretsmanager:(Create|Delete|Put))", a))])])
    error_message = "The reconciler starts and stops nothing and touches no hand-over secret: commands go through the orchestrators."
  }
}

run "reconciler_repairs_by_kind_raise_alarms" {
  command = apply

  module {
    source = "./modules/observability"
  }

  variables {
    function_names       = { producer = "runfleet-test-producer", reconciler = "runfleet-test-reconciler" }
    stream_function_name = "runfleet-test-publisher"
    api_id               = "abc123"
    platforms            = ["fargate"]
    queue_names          = { fargate = "runfleet-test-fargate" }
    dlq_names            = { fargate = "runfleet-test-fargate-dlq" }
    parameters_path      = "/runfleet/test"
    alarm_actions        = ["arn:aws:sns:eu-west-1:123456789012:ops"]
    dashboard            = true
  }

  assert {
    condition     = { for k, a in aws_cloudwatch_metric_alarm.reconciler_repairs : k => "${a.namespace}/${a.metric_name}/${a.dimensions.service}/${a.dimensions.kind}" } == { for k in ["spin-up-lost", "job-given-up", "boot-deadline", "host-gone", "job-completed", "spin-up-resent", "redelivered"] : k => "runfleet/Repairs/reconciler/${k}" }
    error_message = "Each repair kind, as the reconciler emits it (Repairs, service=reconciler, kind=<kind>), has an alarm."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.reconciler_repairs["spin-up-lost"].threshold == 0 && aws_cloudwatch_metric_alarm.reconciler_repairs["job-given-up"].threshold == 0 && aws_cloudwatch_metric_alarm.reconciler_repairs["host-gone"].threshold == 5
    error_message = "A lost spin-up or a given-up job alarms at once; hosts gone alarm when frequent."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.reconciler_repairs["redelivered"].threshold == 5 && aws_cloudwatch_metric_alarm.reconciler_repairs["redelivered"].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"])
    error_message = "Lost webhooks redelivered more than 5 times in 15 minutes alarm: the webhook endpoint is failing."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.reconciler_deferred.metric_name == "ReconcileDeferred" && aws_cloudwatch_metric_alarm.reconciler_deferred.evaluation_periods == 3 && aws_cloudwatch_metric_alarm.reconciler_deferred.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"])
    error_message = "A spent call budget three passes running alarms."
  }

  assert {
    condition     = strcontains(aws_cloudwatch_dashboard.fleet[0].dashboard_body, "Reconciler repairs by kind")
    error_message = "The dashboard shows the repairs by kind."
  }
}
