# Every variable validation, one refused value each: a plan that must fail on exactly that variable. The
# boundary values each validation accepts are planned in root.tftest.hcl. Run from infra-terraform/:
#   terraform test -filter=tests/validations.tftest.hcl

# The refused values are planned against tests/variables/, which holds only a link to the root module's
# variables.tf: a validation is judged the same there, without starting a provider for each of the ~70 runs
# (about 3 s each against the whole module). The accepted boundary values plan the whole module.

variables {
  stage = "test"
  github_app = {
    app_id                   = 12345
    webhook_secret_parameter = "/runfleet/test/github/webhook-secret"
    private_key_secret_arn   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
  }
  network = {
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
  lambda_artifacts = {
    producer           = "tests/fixtures/placeholder.jar"
    publisher          = "tests/fixtures/placeholder.jar"
    orchestrator_ecs   = "tests/fixtures/placeholder-ecs.jar"
    orchestrator_ec2   = "tests/fixtures/placeholder-ec2.jar"
    orchestrator_fleet = "tests/fixtures/placeholder-ec2.jar"
  }
}

run "refuses_stage_with_capitals_and_underscores" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    stage = "Production_Environment"
  }

  expect_failures = [var.stage]
}

run "refuses_platforms_all_disabled" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64", enabled = false } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_name_with_capitals" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { Fargate_X64 = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_named_global" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { global = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_host_kind_unknown" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted"], host_kind = "LAMBDA", arch = "x64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_arch_amd64" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted"], host_kind = "ECS_FARGATE", arch = "amd64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_label_with_a_space" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self hosted"], host_kind = "ECS_FARGATE", arch = "x64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_without_labels" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = [], host_kind = "ECS_FARGATE", arch = "x64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_cap_fractional" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64", cap = 1.5 } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_priority_negative" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64", priority = -1 } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_spot_mode_unknown" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64", spot_mode = "spot" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_platform_runner_class_malformed" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { fargate = { labels = ["self-hosted", "linux", "x64", "fargate"], host_kind = "ECS_FARGATE", arch = "x64", runner_class = "Huge_Class" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_ec2_platform_without_instance_types" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    platforms = { ec2-linux-x64 = { labels = ["self-hosted", "ec2"], host_kind = "EC2", arch = "x64" } }
  }

  expect_failures = [var.platforms]
}

run "refuses_runner_classes_empty" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_classes = {}
  }

  expect_failures = [var.runner_classes]
}

run "refuses_runner_class_not_a_fargate_size" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_classes = { small = { cpu = 1000, memory = 2048 } }
  }

  expect_failures = [var.runner_classes]
}

run "refuses_runner_class_memory_above_8x" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_classes = { small = { cpu = 256, memory = 4096 } }
  }

  expect_failures = [var.runner_classes]
}

run "refuses_webhook_secret_given_as_a_value" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { webhook_secret_parameter = "It's a Secret to Everybody" }
  }

  expect_failures = [var.github_app]
}

run "refuses_webhook_secret_name_too_long" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { webhook_secret_parameter = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }
  }

  expect_failures = [var.github_app]
}

run "refuses_previous_webhook_secret_given_as_a_value" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { previous_webhook_secret_parameter = "old secret value" }
  }

  expect_failures = [var.github_app]
}

run "refuses_private_key_given_as_a_name" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { private_key_secret_arn = "runfleet/test/github/private-key" }
  }

  expect_failures = [var.github_app]
}

run "refuses_kms_key_given_as_an_alias" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { kms_key_arn = "alias/aws/ssm" }
  }

  expect_failures = [var.github_app]
}

run "refuses_app_id_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { app_id = 0 }
  }

  expect_failures = [var.github_app]
}

run "refuses_app_id_fractional" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { app_id = 12.5 }
  }

  expect_failures = [var.github_app]
}

run "refuses_api_url_plain_http" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { api_url = "http://github.example.com/api/v3" }
  }

  expect_failures = [var.github_app]
}

run "refuses_api_url_trailing_slash" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { api_url = "https://api.github.com/" }
  }

  expect_failures = [var.github_app]
}

run "refuses_runner_group_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    github_app = { runner_group_id = 0 }
  }

  expect_failures = [var.github_app]
}

run "refuses_allow_entry_with_a_space" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    allow = ["my org"]
  }

  expect_failures = [var.allow]
}

run "refuses_allow_entry_with_a_deeper_path" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    allow = ["owner/repo/extra"]
  }

  expect_failures = [var.allow]
}

run "refuses_allow_entry_with_a_comma" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    allow = ["a,b"]
  }

  expect_failures = [var.allow]
}

run "refuses_allow_longer_than_an_ssm_value" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    allow = ["org00-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org01-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org02-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org04-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org05-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org06-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org07-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org08-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org09-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org10-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org11-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org12-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org13-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org14-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org15-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org16-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org17-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org18-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org19-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org20-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org21-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org22-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org23-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org24-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org25-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org26-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org27-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org28-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org29-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org30-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org31-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org32-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org33-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org34-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org35-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org36-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org37-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org38-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org39-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org40-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org41-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org42-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org43-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org44-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org45-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org46-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org47-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org48-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org49-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org50-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org51-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org52-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org53-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org54-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org55-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org56-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org57-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org58-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org59-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org60-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org61-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org62-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org63-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org64-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org65-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org66-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org67-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org68-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org69-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org70-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org71-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org72-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org73-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org74-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org75-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org76-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org77-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org78-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org79-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org80-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org81-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org82-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org83-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org84-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org85-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org86-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org87-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org88-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org89-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org90-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org91-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org92-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org93-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org94-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org95-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org96-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org97-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org98-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*", "org99-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/*"]
  }

  expect_failures = [var.allow]
}

run "refuses_vpc_id_malformed" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    network = { vpc_id = "vpc-xyz", subnet_ids = ["subnet-0123456789abcdef0"] }
  }

  expect_failures = [var.network]
}

run "refuses_no_subnets" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    network = { vpc_id = "vpc-0123456789abcdef0", subnet_ids = [] }
  }

  expect_failures = [var.network]
}

run "refuses_six_security_groups" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    network = { vpc_id = "vpc-0123456789abcdef0", subnet_ids = ["subnet-0123456789abcdef0"], security_group_ids = ["sg-0123456789abcdef0", "sg-0123456789abcdef1", "sg-0123456789abcdef2", "sg-0123456789abcdef3", "sg-0123456789abcdef4", "sg-0123456789abcdef5"] }
  }

  expect_failures = [var.network]
}

run "refuses_lambda_runtime_java11" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    lambda = { runtime = "java11" }
  }

  expect_failures = [var.lambda]
}

run "refuses_lambda_architecture_amd64" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    lambda = { architecture = "amd64" }
  }

  expect_failures = [var.lambda]
}

run "refuses_lambda_memory_256" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    lambda = { memory_size = 256 }
  }

  expect_failures = [var.lambda]
}

run "refuses_lambda_log_retention_2" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    lambda = { log_retention_days = 2 }
  }

  expect_failures = [var.lambda]
}

run "refuses_webhook_throttling_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    webhook = { throttling_rate_limit = 0 }
  }

  expect_failures = [var.webhook]
}

run "refuses_webhook_body_below_1k" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    webhook = { max_body_bytes = 1000 }
  }

  expect_failures = [var.webhook]
}

run "refuses_webhook_timeout_above_github" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    webhook = { timeout_seconds = 11 }
  }

  expect_failures = [var.webhook]
}

run "refuses_flow_global_cap_negative" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { global_cap = -1 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_launch_rate_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { launch_rate = 0 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_launch_burst_fractional" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { launch_burst = 1.5 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_launch_rate_above_its_ceiling" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { launch_rate = 21 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_launch_burst_above_its_ceiling" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { launch_rate = 3, launch_burst = 30, max_launch_rate = 20 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_max_launch_rate_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { launch_rate = 0.5, max_launch_rate = 0 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_max_cap_per_platform_negative" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { max_cap_per_platform = -1 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_cache_above_5_minutes" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { parameter_cache_seconds = 301 }
  }

  expect_failures = [var.flow]
}

run "refuses_flow_no_launch_attempt" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    flow = { max_launch_attempts = 0 }
  }

  expect_failures = [var.flow]
}

run "refuses_publisher_batch_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { batch_size = 0 }
  }

  expect_failures = [var.publisher]
}

run "refuses_publisher_retries_unbounded" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { maximum_retry_attempts = -1 }
  }

  expect_failures = [var.publisher]
}

run "refuses_publisher_record_age_below_a_minute" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { maximum_record_age = 59 }
  }

  expect_failures = [var.publisher]
}

run "refuses_publisher_parallelization_11" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { parallelization_factor = 11 }
  }

  expect_failures = [var.publisher]
}

run "refuses_publisher_timeout_5" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { timeout_seconds = 5 }
  }

  expect_failures = [var.publisher]
}

run "refuses_publisher_schedule_not_eventbridge" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { sweep_schedule = "every minute" }
  }

  expect_failures = [var.publisher]
}

run "refuses_hook_ranges_schedule_not_eventbridge" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    webhook = { github_hook_ranges = { enabled = true, refresh_schedule = "hourly" } }
  }

  expect_failures = [var.webhook]
}

run "accepts_hook_ranges_enabled_with_the_default_schedule" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    webhook = { github_hook_ranges = { enabled = true } }
  }
}

run "refuses_publisher_runner_idle_below_a_minute" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    publisher = { runner_idle_seconds = 30 }
  }

  expect_failures = [var.publisher]
}

run "refuses_orchestrators_batch_11" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    orchestrators = { batch_size = 11 }
  }

  expect_failures = [var.orchestrators]
}

run "refuses_orchestrators_concurrency_1" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    orchestrators = { maximum_concurrency = 1 }
  }

  expect_failures = [var.orchestrators]
}

run "refuses_orchestrators_receive_count_zero" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    orchestrators = { max_receive_count = 0 }
  }

  expect_failures = [var.orchestrators]
}

run "refuses_orchestrators_timeout_901" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    orchestrators = { timeout_seconds = 901 }
  }

  expect_failures = [var.orchestrators]
}

run "refuses_orchestrators_lease_4" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    orchestrators = { launch_lease_seconds = 4 }
  }

  expect_failures = [var.orchestrators]
}

run "refuses_fargate_image_with_whitespace" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { fargate_image = "my runner:1" }
  }

  expect_failures = [var.runners]
}

run "refuses_repository_arn_without_an_own_image" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { fargate_image_ecr_repository_arn = "arn:aws:ecr:eu-west-1:123456789012:repository/my-runner" }
  }

  expect_failures = [var.runners]
}

run "refuses_repository_arn_of_another_service" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { fargate_image = "ghcr.io/me/runner:1", fargate_image_ecr_repository_arn = "arn:aws:s3:::my-runner" }
  }

  expect_failures = [var.runners]
}

run "refuses_ec2_ami_for_an_unknown_arch" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { ec2_ami = { x86_64 = "ami-0123456789abcdef0" } }
  }

  expect_failures = [var.runners]
}

run "refuses_ec2_ami_malformed" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { ec2_ami = { x64 = "ubuntu-22.04" } }
  }

  expect_failures = [var.runners]
}

run "refuses_root_volume_7_gb" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { root_volume_gb = 7 }
  }

  expect_failures = [var.runners]
}

run "refuses_runner_log_retention_2" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runners = { log_retention_days = 2 }
  }

  expect_failures = [var.runners]
}

run "refuses_image_build_timeout_5_minutes" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_image = { build_timeout_minutes = 5 }
  }

  expect_failures = [var.runner_image]
}

run "refuses_a_base_image_digest_that_is_not_sha256" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_image = { base_image_digest = "2.331.0" }
  }

  expect_failures = [var.runner_image]
}

run "refuses_image_build_keeps_nothing" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_image = { keep_builds = 0 }
  }

  expect_failures = [var.runner_image]
}

run "refuses_image_build_log_retention_2" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    runner_image = { log_retention_days = 2 }
  }

  expect_failures = [var.runner_image]
}

run "refuses_alarm_action_not_sns" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    observability = { alarm_actions = ["arn:aws:sqs:eu-west-1:123456789012:alarms"] }
  }

  expect_failures = [var.observability]
}

run "refuses_queue_age_alarm_below_a_minute" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    observability = { queue_age_alarm_seconds = 59 }
  }

  expect_failures = [var.observability]
}

run "refuses_tag_in_the_aws_namespace" {
  command = plan

  module {
    source = "./tests/variables"
  }

  variables {
    tags = { "aws:owner" = "me" }
  }

  expect_failures = [var.tags]
}

