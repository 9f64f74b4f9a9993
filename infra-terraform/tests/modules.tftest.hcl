# Submodules tested on their own, with a mocked AWS provider. Run from infra-terraform/: terraform test

mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

run "queues_subscribe_each_platform_raw_with_its_policy_file" {
  command = apply

  module {
    source = "./modules/queues"
  }

  variables {
    name                    = "runfleet-test"
    platforms               = ["fargate", "ec2-linux-x64"]
    filter_policies_dir     = "../common/src/main/resources/filter-policies"
    visibility_timeout      = 360
    max_receive_count       = 5
    queue_age_alarm_seconds = 300
    alarm_actions           = []
    tags                    = {}
  }

  assert {
    condition     = alltrue([for s in aws_sns_topic_subscription.commands : s.raw_message_delivery])
    error_message = "Subscriptions must deliver raw messages."
  }

  assert {
    condition     = jsondecode(aws_sns_topic_subscription.commands["fargate"].filter_policy) == { platform = ["fargate"] }
    error_message = "The fargate queue must receive fargate commands only."
  }

  assert {
    condition     = alltrue([for p in ["fargate", "ec2-linux-x64"] : jsondecode(aws_sqs_queue.commands[p].redrive_policy).maxReceiveCount == 5])
    error_message = "Every command queue redrives to its dead-letter queue."
  }

  assert {
    condition     = length(aws_cloudwatch_metric_alarm.dlq_depth) == 2 && length(aws_cloudwatch_metric_alarm.queue_age) == 2
    error_message = "Every queue has an alarm."
  }
}

run "queues_refuse_a_platform_without_a_filter_policy_file" {
  command = plan

  module {
    source = "./modules/queues"
  }

  variables {
    name                    = "runfleet-test"
    platforms               = ["gpu"]
    filter_policies_dir     = "../common/src/main/resources/filter-policies"
    visibility_timeout      = 360
    max_receive_count       = 5
    queue_age_alarm_seconds = 300
    alarm_actions           = []
    tags                    = {}
  }

  expect_failures = [aws_sns_topic_subscription.commands]
}

run "parameters_have_the_names_the_publisher_reads" {
  command = apply

  module {
    source = "./modules/parameters"
  }

  variables {
    stage         = "test"
    platform_caps = { fargate = 7 }
    global_cap    = 50
    launch_rate   = "3/6"
    paused        = false
    tags          = {}
  }

  assert {
    condition     = aws_ssm_parameter.platform_cap["fargate"].name == "/runfleet/test/caps/fargate" && aws_ssm_parameter.launch_rate.name == "/runfleet/test/launch-rate" && aws_ssm_parameter.paused.name == "/runfleet/test/paused"
    error_message = "Parameters live under /runfleet/<stage>/ with the names the publisher reads."
  }

  assert {
    condition     = alltrue([for p in concat(values(aws_ssm_parameter.platform_cap), [aws_ssm_parameter.global_cap, aws_ssm_parameter.launch_rate, aws_ssm_parameter.paused]) : p.type == "String"])
    error_message = "Runtime parameters are plain Strings (no secret in them)."
  }
}

run "table_matches_the_java_contract" {
  command = apply

  module {
    source = "./modules/jobs_table"
  }

  variables {
    name                = "runfleet-test-jobs"
    deletion_protection = false
    tags                = {}
  }

  assert {
    condition     = aws_dynamodb_table.jobs.hash_key == "pk" && aws_dynamodb_table.jobs.range_key == "sk" && aws_dynamodb_table.jobs.stream_view_type == "NEW_AND_OLD_IMAGES"
    error_message = "Keys and stream as JobsTable.createTableRequest."
  }
}
