# The host-events function and what feeds it: the EventBridge rules (filtered to the runner cluster and STOPPED),
# their targets with retries and a dead-letter queue, the function's least-privilege policy (rendered offline by
# the real provider during plan, as in iam.tftest.hcl), and the alarms on what it reports.
# Run from infra-terraform/: terraform test -filter=tests/host_events.tftest.hcl

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
  name                   = "runfleet-test"
  stage                  = "test"
  jar                    = "tests/fixtures/placeholder.jar"
  lambda                 = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = "artifacts" }
  platforms_json         = "[]"
  table_name             = "runfleet-test-jobs"
  table_arn              = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
  ecs_cluster_arn        = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
  watch_tasks            = true
  watch_spot_instances   = true
  github_app_id          = 12345
  github_api_url         = "https://api.github.com"
  private_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/app-key-AbCdEf"
  jit_secret_prefix      = "runfleet/test/jit"
  alarm_actions          = ["arn:aws:sns:eu-west-1:123456789012:ops"]
  region                 = "eu-west-1"
  account_id             = "123456789012"
  partition              = "aws"
  tags                   = {}
}

run "rules_watch_spot_warnings_and_the_runner_clusters_stopped_tasks" {
  command = plan

  module {
    source = "./modules/host_events"
  }

  assert {
    condition = { for k, r in aws_cloudwatch_event_rule.host_ends : k => jsondecode(r.event_pattern) } == {
      spot_interruptions = { source = ["aws.ec2"], "detail-type" = ["EC2 Spot Instance Interruption Warning"] }
      tasks_stopped      = { source = ["aws.ecs"], "detail-type" = ["ECS Task State Change"], detail = { clusterArn = ["arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"], lastStatus = ["STOPPED"] } }
    }
    error_message = "One rule per end kind: every spot warning (events carry no tags), and only this cluster's STOPPED tasks."
  }

  assert {
    condition     = alltrue([for t in aws_cloudwatch_event_target.host_ends : t.retry_policy[0].maximum_retry_attempts == 10 && t.retry_policy[0].maximum_event_age_in_seconds == 3600 && length(t.dead_letter_config) == 1])
    error_message = "Each target retries delivery for an hour, then dead-letters the event."
  }

  assert {
    condition     = aws_lambda_function_event_invoke_config.host_ends.maximum_retry_attempts == 2 && length(aws_lambda_function_event_invoke_config.host_ends.destination_config[0].on_failure) == 1
    error_message = "An event the function fails on is retried twice, then goes to the dead-letter queue."
  }

  assert {
    condition     = alltrue([for k, p in aws_lambda_permission.host_ends : p.principal == "events.amazonaws.com" && p.action == "lambda:InvokeFunction"]) && length(aws_lambda_permission.host_ends) == 2
    error_message = "Only EventBridge, one permission per rule, may invoke the function."
  }

  assert {
    condition = { for s in jsondecode(data.aws_iam_policy_document.host_events.json).Statement : s.Sid => s.Action } == {
      RunnerStore               = ["dynamodb:UpdateItem", "dynamodb:GetItem"]
      ReadInstanceTags          = "ec2:DescribeInstances"
      ReadTaskTags              = "ecs:DescribeTasks"
      DeleteEndedRunnersSecrets = "secretsmanager:DeleteSecret"
      FindEndedRunnersSecrets   = "secretsmanager:ListSecrets"
      ReadAppKeySecret          = "secretsmanager:GetSecretValue"
      DeadLetter                = "sqs:SendMessage"
    }
    error_message = "Least privilege: read and stop runner records, read host tags, delete (never read or create) hand-over secrets, read the App's key, dead-letter."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.host_events.json).Statement : s if s.Sid == "ReadTaskTags"][0].Resource == "arn:aws:ecs:eu-west-1:123456789012:task/runfleet-test-runners/*" && [for s in jsondecode(data.aws_iam_policy_document.host_events.json).Statement : s if s.Sid == "ReadTaskTags"][0].Condition.ArnEquals["ecs:cluster"] == "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
    error_message = "Task tags only of the runner cluster's tasks."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.host_events.json).Statement : s if s.Sid == "DeleteEndedRunnersSecrets"][0].Resource == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/jit/*"
    error_message = "Hand-over secrets are deleted only under the stage's prefix."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.dlq.alarm_name == "runfleet-test-host-events-dlq" && aws_cloudwatch_metric_alarm.dlq.metric_name == "ApproximateNumberOfMessagesVisible" && aws_cloudwatch_metric_alarm.dlq.dimensions.QueueName == "runfleet-test-host-events-dlq" && aws_cloudwatch_metric_alarm.dlq.threshold == 0
    error_message = "A host end left in the dead-letter queue raises an alarm."
  }

  assert {
    condition     = { for k, a in aws_cloudwatch_metric_alarm.signals : a.alarm_name => "${a.namespace}/${a.metric_name}/${a.dimensions.service}" } == { "runfleet-test-reruns-failed" = "runfleet/RerunsFailed/host-events", "runfleet-test-jobs-lost-to-interruption" = "runfleet/JobsLostToInterruption/host-events", "runfleet-test-host-events-poison" = "runfleet/HostEventsPoison/host-events" }
    error_message = "RerunsFailed, JobsLostToInterruption and HostEventsPoison, as HostEnds emits them (namespace runfleet, service=host-events), each have an alarm."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.signals : a.threshold == 0 && a.comparison_operator == "GreaterThanThreshold" && a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"])])
    error_message = "One occurrence is enough, and it reaches the alarm topics."
  }
}

run "without_fargate_platforms_only_spot_warnings_are_watched_and_no_task_is_readable" {
  command = plan

  module {
    source = "./modules/host_events"
  }

  variables {
    ecs_cluster_arn = null
    watch_tasks     = false
  }

  assert {
    condition     = keys(aws_cloudwatch_event_rule.host_ends) == ["spot_interruptions"]
    error_message = "No Fargate platform: no task rule."
  }

  assert {
    condition     = length([for s in jsondecode(data.aws_iam_policy_document.host_events.json).Statement : s if s.Sid == "ReadTaskTags"]) == 0
    error_message = "No Fargate platform: no ECS permission."
  }
}
