# Submodules tested on their own, with a mocked AWS provider. Run from infra-terraform/: terraform test

mock_provider "aws" {
  source = "./tests/mocks"
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

run "orchestrators_get_the_keys_of_their_host_kind_only" {
  command = apply

  module {
    source = "./modules/orchestrators"
  }

  variables {
    name   = "runfleet-test"
    stage  = "test"
    jar    = "tests/fixtures/placeholder.jar"
    lambda = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = null }
    platforms = {
      fargate = {
        handler        = "dev.runfleet.orchestrators.FargateOrchestratorHandler"
        host_kind      = "ECS_FARGATE"
        queue_arn      = "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-fargate"
        spot_mode      = "spotPreferred"
        instance_types = []
      }
      ec2-linux-x64 = {
        handler        = "dev.runfleet.orchestrators.Ec2LinuxX64OrchestratorHandler"
        host_kind      = "EC2"
        queue_arn      = "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-ec2-linux-x64"
        spot_mode      = "spotOnly"
        instance_types = ["m7i.large", "m6i.large"]
      }
    }
    platforms_json          = "[]"
    table_name              = "runfleet-test-jobs"
    table_arn               = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
    batch_size              = 10
    maximum_concurrency     = 5
    timeout_seconds         = 60
    launch_lease_seconds    = 120
    github_app_id           = 12345
    github_api_url          = "https://github.example.com/api/v3"
    github_runner_group_id  = 2
    private_key_secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
    jit_secret_prefix       = "runfleet/test/jit"
    allow_parameter_arn     = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow"
    parameter_cache_seconds = 5
    network = {
      subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
      security_group_ids = ["sg-0123456789abcdef0"]
      assign_public_ip   = false
    }
    ecs = {
      cluster_arn              = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
      task_definition_families = { fargate = "runfleet-test-fargate" }
      task_definition_arns     = { fargate = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-fargate:*"] }
      pass_role_arns           = { fargate = ["arn:aws:iam::123456789012:role/runfleet-test-runner-fargate"] }
    }
    ec2 = {
      launch_template_ids  = { ec2-linux-x64 = "lt-0123456789abcdef0" }
      launch_template_arns = { ec2-linux-x64 = "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0" }
      pass_role_arns       = { ec2-linux-x64 = ["arn:aws:iam::123456789012:role/runfleet-test-runner-ec2-linux-x64"] }
    }
    region     = "eu-west-1"
    account_id = "123456789012"
    partition  = "aws"
    tags       = {}
  }

  assert {
    condition     = output.environments["fargate"].RUNFLEET_ECS_TASK_DEFINITION == "runfleet-test-fargate" && output.environments["fargate"].RUNFLEET_ECS_ASSIGN_PUBLIC_IP == "false" && output.environments["fargate"].RUNFLEET_SUBNETS == "subnet-0123456789abcdef0,subnet-0fedcba9876543210"
    error_message = "A Fargate orchestrator runs its platform's task definition family in the runner subnets."
  }

  assert {
    condition     = output.environments["ec2-linux-x64"].RUNFLEET_EC2_LAUNCH_TEMPLATE == "lt-0123456789abcdef0" && output.environments["ec2-linux-x64"].RUNFLEET_EC2_INSTANCE_TYPES == "m7i.large,m6i.large" && output.environments["ec2-linux-x64"].RUNFLEET_SPOT_MODE == "spotOnly"
    error_message = "An EC2 orchestrator launches its platform's launch template with its instance types and spot mode."
  }

  assert {
    condition     = length([for k in keys(output.environments["fargate"]) : k if startswith(k, "RUNFLEET_EC2_")]) == 0 && length([for k in keys(output.environments["ec2-linux-x64"]) : k if startswith(k, "RUNFLEET_ECS_")]) == 0
    error_message = "An orchestrator gets no key of the other host kind."
  }

  assert {
    condition     = alltrue([for env in values(output.environments) : !contains(keys(env), "RUNFLEET_JIT_KMS_KEY_ID") && env.RUNFLEET_JIT_SECRET_PREFIX == "runfleet/test/jit" && env.RUNFLEET_GITHUB_APP_ID == "12345"])
    error_message = "Without a KMS key RUNFLEET_JIT_KMS_KEY_ID stays unset (the AWS-managed key)."
  }
}
