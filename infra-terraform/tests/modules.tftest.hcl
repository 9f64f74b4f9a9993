# Submodules tested on their own, with a mocked AWS provider. Run from infra-terraform/: terraform test

mock_provider "aws" {
  source = "./tests/mocks"
}

# Every queue its own random ARN (no default): the topic-to-queue wiring cannot then hold by accident, as it
# could with one mocked ARN for all queues. (Terraform 1.11 applies only one override_resource per run.)
mock_provider "aws" {
  alias = "distinct_queues"

  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-west-1:123456789012:runfleet-test-runner-commands"
    }
  }

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

run "orchestrators_get_the_keys_of_their_host_kind_only" {
  command = apply

  module {
    source = "./modules/orchestrators"
  }

  variables {
    name   = "runfleet-test"
    stage  = "test"
    jars   = { ECS_FARGATE = "tests/fixtures/placeholder-ecs.jar", EC2 = "tests/fixtures/placeholder-ec2.jar" }
    lambda = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = "artifacts" }
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
    jit_kms_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    runner_role_ids         = { fargate = "AROAFARGATE00000RUNNER", ec2-linux-x64 = "AROAEC2LINUXX640RUNNER" }
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
    condition     = aws_lambda_event_source_mapping.commands["fargate"].event_source_arn == "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-fargate" && aws_lambda_event_source_mapping.commands["ec2-linux-x64"].event_source_arn == "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-ec2-linux-x64"
    error_message = "Each orchestrator consumes its own platform's queue."
  }

  assert {
    condition     = alltrue([for m in aws_lambda_event_source_mapping.commands : m.function_response_types == toset(["ReportBatchItemFailures"]) && m.batch_size == 10 && m.scaling_config[0].maximum_concurrency == 5])
    error_message = "Orchestrators report failed commands one by one, with the given batch size and concurrency."
  }

  assert {
    condition     = alltrue([for m in aws_lambda_event_source_mapping.commands : m.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock:live"])
    error_message = "Every command queue invokes its orchestrator's live alias (SnapStart resumes published versions only)."
  }

  assert {
    condition     = alltrue([for env in values(output.environments) : env.RUNFLEET_JIT_KMS_KEY_ID == "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555" && env.RUNFLEET_JIT_SECRET_PREFIX == "runfleet/test/jit" && env.RUNFLEET_GITHUB_APP_ID == "12345"])
    error_message = "Every orchestrator encrypts the JIT configs with the JIT key."
  }

  assert {
    condition     = module.orchestrator["fargate"].s3_key == "runfleet/runfleet-test-orch-fargate/${filemd5("tests/fixtures/placeholder-ecs.jar")}.jar"
    error_message = "The Fargate orchestrator runs the ECS jar, uploaded to S3 under its content's hash."
  }

  assert {
    condition     = module.orchestrator["ec2-linux-x64"].s3_key == "runfleet/runfleet-test-orch-ec2-linux-x64/${filemd5("tests/fixtures/placeholder-ec2.jar")}.jar"
    error_message = "An EC2 orchestrator runs the EC2 jar, uploaded to S3 under its content's hash."
  }
}

run "topic_feeds_each_platform_queue_through_its_filter_and_dead_letters_alarm" {
  command = apply

  module {
    source = "./modules/queues"
  }

  # Fresh state: the queues of the first run above carry the shared mocked ARN.
  state_key = "distinct_queues"
  providers = {
    aws = aws.distinct_queues
  }

  variables {
    name                    = "runfleet-test"
    platforms               = ["fargate", "ec2-linux-arm64"]
    filter_policies_dir     = "../common/src/main/resources/filter-policies"
    visibility_timeout      = 360
    max_receive_count       = 4
    queue_age_alarm_seconds = 240
    alarm_actions           = ["arn:aws:sns:eu-west-1:123456789012:oncall"]
    tags                    = {}
  }

  assert {
    condition     = aws_sqs_queue.commands["fargate"].arn != aws_sqs_queue.commands["ec2-linux-arm64"].arn && alltrue([for p, s in aws_sns_topic_subscription.commands : s.topic_arn == aws_sns_topic.commands.arn && s.protocol == "sqs" && s.endpoint == aws_sqs_queue.commands[p].arn])
    error_message = "Each platform's subscription delivers the topic to that platform's own queue."
  }

  assert {
    condition     = alltrue([for p, s in aws_sns_topic_subscription.commands : jsondecode(s.filter_policy) == jsondecode(file("../common/src/main/resources/filter-policies/${p}.json")) && s.filter_policy_scope == "MessageAttributes" && s.raw_message_delivery])
    error_message = "Each subscription filters on message attributes with its platform's policy file, and delivers raw."
  }

  assert {
    condition     = alltrue([for p, q in aws_sqs_queue.commands : jsondecode(q.redrive_policy) == { deadLetterTargetArn = aws_sqs_queue.dlq[p].arn, maxReceiveCount = 4 } && aws_sqs_queue.dlq[p].arn != q.arn])
    error_message = "Each queue redrives to its own dead-letter queue after max_receive_count receives."
  }

  assert {
    condition     = alltrue([for p in ["fargate", "ec2-linux-arm64"] : aws_sqs_queue.commands[p].sqs_managed_sse_enabled && aws_sqs_queue.dlq[p].sqs_managed_sse_enabled && aws_sqs_queue.commands[p].visibility_timeout_seconds == 360])
    error_message = "Queues and dead-letter queues are encrypted; the visibility timeout is the given one."
  }

  assert {
    condition     = alltrue([for p in ["fargate", "ec2-linux-arm64"] : aws_cloudwatch_metric_alarm.dlq_depth[p].dimensions.QueueName == "runfleet-test-${p}-dlq" && aws_cloudwatch_metric_alarm.dlq_depth[p].threshold == 0 && aws_cloudwatch_metric_alarm.dlq_depth[p].alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:oncall"])])
    error_message = "A dead-letter queue alarms on its first message and notifies the alarm actions."
  }

  assert {
    condition     = alltrue([for p in ["fargate", "ec2-linux-arm64"] : aws_cloudwatch_metric_alarm.queue_age[p].dimensions.QueueName == "runfleet-test-${p}" && aws_cloudwatch_metric_alarm.queue_age[p].metric_name == "ApproximateAgeOfOldestMessage" && aws_cloudwatch_metric_alarm.queue_age[p].threshold == 240])
    error_message = "A command queue alarms when its oldest command is older than queue_age_alarm_seconds."
  }
}

run "stream_feeds_the_publisher_with_bisect_bounded_retries_and_a_failure_queue" {
  command = apply

  module {
    source = "./modules/publisher"
  }

  override_resource {
    target = aws_sqs_queue.stream_failures
    values = { arn = "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-publisher-failures", url = "https://sqs.eu-west-1.amazonaws.com/123456789012/runfleet-test-publisher-failures" }
  }
  override_resource {
    target = module.publisher.aws_lambda_alias.live
    values = { arn = "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-publisher:live" }
  }

  variables {
    name                    = "runfleet-test"
    stage                   = "test"
    parameter_cache_seconds = 5
    jar                     = "tests/fixtures/placeholder.jar"
    lambda                  = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = "artifacts" }
    table_name              = "runfleet-test-jobs"
    table_arn               = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
    stream_arn              = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs/stream/2026-12-05T00:00:00.000"
    topic_arn               = "arn:aws:sns:eu-west-1:123456789012:runfleet-test-runner-commands"
    platforms_json          = "[]"
    global_cap              = 100
    max_cap_per_platform    = 1000
    max_launch_rate         = 20
    max_launch_attempts     = 3
    parameters_path_arn     = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/*"
    runner_idle_seconds     = 600
    batch_size              = 100
    maximum_retry_attempts  = 7
    maximum_record_age      = 3600
    parallelization_factor  = 4
    batching_window_seconds = 0
    timeout_seconds         = 60
    sweep_schedule          = "rate(1 minute)"
    alarm_actions           = []
    tags                    = {}
  }

  assert {
    condition     = aws_lambda_event_source_mapping.stream.event_source_arn == "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs/stream/2026-12-05T00:00:00.000" && aws_lambda_event_source_mapping.stream.function_name == "arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-publisher:live"
    error_message = "The jobs table's stream feeds the publisher function's live alias (SnapStart resumes published versions only)."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.stream.bisect_batch_on_function_error && aws_lambda_event_source_mapping.stream.maximum_retry_attempts == 7 && aws_lambda_event_source_mapping.stream.maximum_record_age_in_seconds == 3600
    error_message = "A failing batch is bisected and retried a bounded number of times, within a bounded age."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.stream.destination_config[0].on_failure[0].destination_arn == "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-publisher-failures"
    error_message = "Batches given up on go to the publisher's failure queue."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.stream.function_response_types == toset(["ReportBatchItemFailures"]) && aws_cloudwatch_metric_alarm.stream_failures.dimensions.QueueName == aws_sqs_queue.stream_failures.name
    error_message = "The publisher reports failed records; the failure queue has an alarm."
  }

  assert {
    condition     = local.environment.RUNFLEET_MAX_CAP_PER_PLATFORM == "1000" && local.environment.RUNFLEET_MAX_LAUNCH_RATE == "20"
    error_message = "The publisher gets the ceilings it clamps the SSM knobs to."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.stream.parallelization_factor == 4 && aws_lambda_event_source_mapping.stream.batch_size == 100 && aws_lambda_event_source_mapping.stream.maximum_batching_window_in_seconds == 0
    error_message = "The stream mapping runs parallel batches per shard (one key's records in order), with the batch size and window given."
  }

  assert {
    condition     = local.environment.RUNFLEET_WAKE_UP_QUEUE_URL == aws_sqs_queue.wake_up.url && aws_sqs_queue.wake_up.visibility_timeout_seconds >= 60
    error_message = "Every publisher function knows the wake-up queue, whose visibility timeout covers the function's timeout."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.wake_up.event_source_arn == aws_sqs_queue.wake_up.arn && aws_lambda_event_source_mapping.wake_up.function_name == module.wake_up.arn && aws_lambda_event_source_mapping.wake_up.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The wake-up queue triggers the wake-up function, which reports failed messages."
  }

  assert {
    condition     = module.wake_up.function_name == "runfleet-test-publisher-wake-up" && output.function_names["publisher-wake-up"] == module.wake_up.function_name
    error_message = "The wake-up function is named after the deployment and listed with the publisher's functions (alarms, dashboard)."
  }
}

run "parameter_changes_and_the_publishers_poison_and_ttl_release_signals_raise_alarms" {
  command = apply

  module {
    source = "./modules/observability"
  }

  variables {
    name                 = "runfleet-test"
    region               = "eu-west-1"
    function_names       = { producer = "runfleet-test-producer" }
    stream_function_name = "runfleet-test-publisher"
    api_id               = "abc123"
    platforms            = ["fargate"]
    queue_names          = { fargate = "runfleet-test-fargate" }
    dlq_names            = { fargate = "runfleet-test-fargate-dlq" }
    parameters_path      = "/runfleet/test"
    alarm_actions        = ["arn:aws:sns:eu-west-1:123456789012:ops"]
    dashboard            = false
    tags                 = {}
  }

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.parameter_changes.event_pattern) == { source = ["aws.ssm"], "detail-type" = ["Parameter Store Change"], detail = { name = [{ prefix = "/runfleet/test/" }] } }
    error_message = "Every change of a parameter under /runfleet/<stage>/ (and only there) reaches the change rule."
  }

  assert {
    condition     = [for t in aws_cloudwatch_event_target.parameter_changes : t.arn] == ["arn:aws:sns:eu-west-1:123456789012:ops"] && aws_cloudwatch_event_target.parameter_changes["arn:aws:sns:eu-west-1:123456789012:ops"].rule == aws_cloudwatch_event_rule.parameter_changes.name
    error_message = "Each change goes to every alarm topic."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.parameter_changes.dimensions.RuleName == aws_cloudwatch_event_rule.parameter_changes.name && aws_cloudwatch_metric_alarm.parameter_changes.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"]) && aws_cloudwatch_metric_alarm.parameter_changes.threshold == 0
    error_message = "The rule's triggers also raise an alarm on the alarm topics."
  }

  assert {
    condition     = { for k, a in aws_cloudwatch_metric_alarm.publisher_signals : a.alarm_name => "${a.namespace}/${a.metric_name}/${a.dimensions.service}" } == { "runfleet-test-poison-records" = "runfleet/PoisonRecords/publisher", "runfleet-test-slots-released-on-removal" = "runfleet/SlotsReleasedOnRemoval/publisher" }
    error_message = "PoisonRecords and SlotsReleasedOnRemoval, as the publisher emits them (namespace runfleet, service=publisher), each have an alarm."
  }

  assert {
    condition     = alltrue([for a in aws_cloudwatch_metric_alarm.publisher_signals : a.threshold == 0 && a.comparison_operator == "GreaterThanThreshold" && a.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:ops"])])
    error_message = "One occurrence is enough, and it reaches the alarm topics."
  }
}

run "the_allow_list_parameter_exists_only_with_a_first_value" {
  command = apply

  module {
    source = "./modules/parameters"
  }

  variables {
    stage         = "test"
    platform_caps = { fargate = 7 }
    global_cap    = 50
    launch_rate   = "3"
    paused        = false
    tags          = {}
  }

  assert {
    condition     = length(aws_ssm_parameter.allow) == 0 && output.names.allow == "/runfleet/test/allow"
    error_message = "An empty allow-list creates no parameter (SSM refuses empty values), but its name is known."
  }
}

run "the_allow_list_parameter_holds_the_entries_joined" {
  command = apply

  module {
    source = "./modules/parameters"
  }

  variables {
    stage         = "test"
    platform_caps = { fargate = 7 }
    global_cap    = 50
    launch_rate   = "3"
    paused        = false
    allow         = ["My-Org", "other/*", "third/repo.name"]
    tags          = {}
  }

  assert {
    condition     = aws_ssm_parameter.allow[0].name == "/runfleet/test/allow" && aws_ssm_parameter.allow[0].type == "String" && aws_ssm_parameter.allow[0].value == "My-Org,other/*,third/repo.name"
    error_message = "The allow-list is the String /runfleet/<stage>/allow holding the entries joined with commas."
  }
}

# SnapStart: every function (modules/lambda builds them all) publishes a version with SnapStart on, and the
# callers that matter for a cold start invoke its `live` alias, never $LATEST, which SnapStart does not resume:
# API Gateway here, the stream and the command queues in the runs above.
run "a_function_publishes_a_snapstart_version_behind_a_live_alias" {
  command = apply

  module {
    source = "./modules/lambda"
  }

  variables {
    name               = "runfleet-test-producer"
    description        = "test"
    handler            = "dev.runfleet.producer.ProducerHandler::handleRequest"
    jar                = "tests/fixtures/placeholder.jar"
    runtime            = "java17"
    architecture       = "arm64"
    memory_size        = 1024
    timeout_seconds    = 10
    environment        = {}
    policy_json        = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    log_retention_days = 7
    s3_bucket          = "artifacts"
    tags               = {}
  }

  assert {
    condition     = aws_lambda_function.this.publish && aws_lambda_function.this.snap_start[0].apply_on == "PublishedVersions"
    error_message = "Every function publishes versions with SnapStart on."
  }

  assert {
    condition     = aws_lambda_alias.live.name == "live" && aws_lambda_alias.live.function_version == aws_lambda_function.this.version && aws_lambda_alias.live.function_name == "runfleet-test-producer"
    error_message = "The live alias points at the version this deploy published."
  }

  assert {
    condition     = output.alias_arn == aws_lambda_alias.live.arn && output.alias_invoke_arn == aws_lambda_alias.live.invoke_arn
    error_message = "The module hands its callers the alias, for API Gateway and the event source mappings."
  }
}

run "api_gateway_invokes_the_producers_live_alias" {
  command = apply

  module {
    source = "./modules/webhook"
  }

  variables {
    name                     = "runfleet-test"
    stage                    = "test"
    jar                      = "tests/fixtures/placeholder.jar"
    lambda                   = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = "artifacts" }
    table_name               = "runfleet-test-jobs"
    table_arn                = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
    platforms_json           = "[]"
    webhook_secret_parameter = "/runfleet-github/test/webhook-secret"
    max_body_bytes           = 1048576
    timeout_seconds          = 10
    throttling_rate_limit    = 100
    throttling_burst_limit   = 200
    parameter_cache_seconds  = 5
    allow_parameter_arn      = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow"
    region                   = "eu-west-1"
    account_id               = "123456789012"
    partition                = "aws"
    tags                     = {}
  }

  assert {
    condition     = aws_apigatewayv2_integration.producer.integration_uri == "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:runfleet-test-mock:live/invocations"
    error_message = "API Gateway invokes the producer's live alias (SnapStart resumes published versions only)."
  }

  assert {
    condition     = aws_lambda_permission.api.qualifier == "live"
    error_message = "API Gateway's permission names the alias it invokes."
  }
}
