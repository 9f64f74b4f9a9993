# terraform test (>= 1.7) with a mocked AWS provider: nothing is created. Run from infra-terraform/:
#   terraform init && terraform test

# Mocked values already at plan time: the runs plan (faster than apply and destroy) and still read names and
# ARNs. A plan also never runs the image build's local-exec, which a mocked provider would not stop.
mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

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

run "defaults_deploy_the_three_default_platforms_in_routing_order" {
  command = plan

  assert {
    condition     = [for p in jsondecode(output.platforms_json) : p.name] == ["fargate", "ec2-linux-x64", "ec2-linux-arm64"]
    error_message = "RUNFLEET_PLATFORMS must list the platforms by ascending priority."
  }

  assert {
    condition     = toset(keys(output.queue_urls)) == toset(["fargate", "ec2-linux-x64", "ec2-linux-arm64"])
    error_message = "Every enabled platform needs a command queue."
  }

  assert {
    condition     = toset(keys(output.function_names)) == toset(["producer", "publisher", "publisher-sweep", "publisher-wake-up", "orchestrator-fargate", "orchestrator-ec2-linux-x64", "orchestrator-ec2-linux-arm64"])
    error_message = "One function per stage, one orchestrator per platform."
  }

  assert {
    condition     = module.publisher.stream_mapping.parallelization_factor == 4 && module.publisher.stream_mapping.batch_size == 100 && module.publisher.stream_mapping.maximum_batching_window_in_seconds == 0
    error_message = "By default the stream feeds the publisher 4 batches per shard at once, 100 records each, without a batching window."
  }

  assert {
    condition     = output.parameter_names.caps["fargate"] == "/runfleet/test/caps/fargate" && output.parameter_names.global_cap == "/runfleet/test/caps/global" && output.parameter_names.launch_rate == "/runfleet/test/launch-rate" && output.parameter_names.paused == "/runfleet/test/paused"
    error_message = "Runtime parameters must live under /runfleet/<stage>/ with the names the publisher reads."
  }

  assert {
    condition = [for s in jsondecode(output.operator_policy_json).Statement : { sid = s.Sid, actions = toset(s.Action), resources = toset(s.Resource) }] == [
      {
        sid       = "TuneRuntimeParameters"
        actions   = toset(["ssm:DeleteParameter", "ssm:PutParameter"])
        resources = toset(["arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/*"])
      },
      {
        sid       = "ReadRuntimeParameters"
        actions   = toset(["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath"])
        resources = toset(["arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test", "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/*"])
      },
      {
        sid       = "ReadJobsTable"
        actions   = toset(["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"])
        resources = toset([module.jobs_table.arn, "${module.jobs_table.arn}/index/*"])
      },
    ]
    error_message = "Operators may write only /runfleet/<stage>/* and read it and the jobs table; nothing else."
  }

  assert {
    condition = [for s in jsondecode(output.operator_read_policy_json).Statement : { sid = s.Sid, effect = s.Effect, actions = toset(s.Action), resources = toset(s.Resource) }] == [
      {
        sid       = "ReadRuntimeParameters"
        effect    = "Allow"
        actions   = toset(["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath"])
        resources = toset(["arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test", "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/*"])
      },
      {
        sid       = "ReadJobsTable"
        effect    = "Allow"
        actions   = toset(["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"])
        resources = toset([module.jobs_table.arn, "${module.jobs_table.arn}/index/*"])
      },
    ]
    error_message = "The read-only operators' policy reads the stage's parameters and the jobs table, nothing else."
  }

  assert {
    condition     = length(regexall("(Put|Delete|Update|Write|Create|Batch)", output.operator_read_policy_json)) == 0
    error_message = "The read-only operators' policy grants no write action."
  }

  assert {
    condition     = output.parameter_names.allow == "/runfleet/test/allow"
    error_message = "The allow-list is /runfleet/<stage>/allow (named even before an operator creates it)."
  }

  assert {
    condition     = output.github_app_parameters.app_id == null && output.github_app_parameters.webhook_secret == "/runfleet/test/github/webhook-secret" && output.github_app_parameters.private_key == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf" && output.github_app_id == 12345
    error_message = "Explicit github_app values are used as given."
  }

  assert {
    condition     = output.table_name == "runfleet-test-jobs"
    error_message = "The jobs table is runfleet-<stage>-jobs."
  }

  assert {
    condition     = endswith(output.webhook_url, "/webhook")
    error_message = "The webhook URL ends in the route /webhook."
  }

  assert {
    condition     = keys(output.runner_hosts.ecs_task_definitions) == ["fargate"] && output.runner_hosts.ecs_task_definitions["fargate"].family == "runfleet-test-fargate"
    error_message = "One task definition per Fargate platform, family runfleet-<stage>-<platform> (what RUNFLEET_ECS_TASK_DEFINITION names)."
  }

  assert {
    condition     = output.runner_hosts.ecs_task_definitions["fargate"].runner_class == "small" && output.runner_hosts.ecs_task_definitions["fargate"].cpu == 1024
    error_message = "A platform without runner_class runs the small class."
  }
}

run "a_platform_runs_the_size_of_its_runner_class" {
  command = plan

  variables {
    platforms = {
      fargate = {
        labels       = ["self-hosted", "linux", "x64", "fargate", "size-large"]
        host_kind    = "ECS_FARGATE"
        arch         = "x64"
        runner_class = "large"
      }
    }
  }

  assert {
    condition     = output.runner_hosts.ecs_task_definitions["fargate"].cpu == 4096 && output.runner_hosts.ecs_task_definitions["fargate"].memory == 8192
    error_message = "The task definition takes its platform's runner class's cpu and memory."
  }
}

run "a_disabled_platform_gets_no_queue_and_no_orchestrator" {
  command = plan

  variables {
    platforms = {
      fargate = {
        labels    = ["self-hosted", "linux", "x64", "fargate"]
        host_kind = "ECS_FARGATE"
        arch      = "x64"
      }
      ec2-linux-x64 = {
        enabled        = false
        labels         = ["self-hosted", "linux", "x64", "ec2"]
        host_kind      = "EC2"
        arch           = "x64"
        instance_types = ["m7i.large"]
      }
    }
  }

  assert {
    condition     = keys(output.queue_urls) == ["fargate"]
    error_message = "Only enabled platforms get queues."
  }

  assert {
    condition     = !contains(keys(output.function_names), "orchestrator-ec2-linux-x64")
    error_message = "A disabled platform gets no orchestrator."
  }

  assert {
    condition     = length(output.runner_hosts.ec2_launch_templates) == 0
    error_message = "No EC2 platform enabled: no launch template."
  }
}

run "rejects_a_runner_class_no_one_defined" {
  command = plan

  variables {
    platforms = {
      fargate = {
        labels       = ["self-hosted", "linux", "x64", "fargate"]
        host_kind    = "ECS_FARGATE"
        arch         = "x64"
        runner_class = "huge"
      }
    }
  }

  expect_failures = [data.aws_caller_identity.current]
}

run "the_github_app_is_read_from_where_setup_stores_it" {
  command = plan

  variables {
    github_app = {}
  }

  assert {
    condition = output.github_app_parameters == {
      app_id         = "/runfleet-github/test/app-id"
      webhook_secret = "/runfleet-github/test/webhook-secret"
      private_key    = "/runfleet-github/test/private-key"
    }
    error_message = "With github_app = {} the App is read from /runfleet-github/<stage>/."
  }

  assert {
    condition     = output.github_app_id == null
    error_message = "No App id is known at plan time: the stack is applied before the App exists."
  }

  # The orchestrators read the id at cold start, from the parameter setup writes, and may read only it.
  assert {
    condition = length(module.orchestrators.environments) == 3 && alltrue([for env in values(module.orchestrators.environments) :
      env["RUNFLEET_GITHUB_APP_ID_PARAMETER"] == "/runfleet-github/test/app-id" && !contains(keys(env), "RUNFLEET_GITHUB_APP_ID")
    ])
    error_message = "Without github_app.app_id each orchestrator gets RUNFLEET_GITHUB_APP_ID_PARAMETER and no RUNFLEET_GITHUB_APP_ID."
  }
}

run "a_given_app_id_reaches_the_orchestrators_as_is" {
  command = plan

  assert {
    condition = length(module.orchestrators.environments) == 3 && alltrue([for env in values(module.orchestrators.environments) :
      env["RUNFLEET_GITHUB_APP_ID"] == "12345" && !contains(keys(env), "RUNFLEET_GITHUB_APP_ID_PARAMETER")
    ])
    error_message = "With github_app.app_id each orchestrator gets RUNFLEET_GITHUB_APP_ID and no parameter to read."
  }
}

run "fargate_runs_the_image_built_from_runner" {
  command = plan

  assert {
    condition     = can(regex("^2\\.331\\.0-[0-9a-f]{12}$", output.runner_image.tag)) && output.runner_image.codebuild_project == "runfleet-test-runner-image"
    error_message = "Without runners.fargate_image the module builds the image, tagged <runner version>-<content hash>."
  }

  assert {
    condition     = output.runner_image.image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/runfleet-test-runner:${output.runner_image.tag}" && output.runner_hosts.ecs_task_definitions["fargate"].image == output.runner_image.image
    error_message = "The Fargate task definition runs <repository url>:<tag> of the built image."
  }
}

run "an_own_image_creates_no_repository_and_no_build" {
  command = plan

  variables {
    runners = {
      fargate_image                    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-runner:2.331.0-abc"
      fargate_image_ecr_repository_arn = "arn:aws:ecr:eu-west-1:123456789012:repository/my-runner"
    }
  }

  assert {
    condition     = output.runner_image.tag == null && output.runner_image.codebuild_project == null && output.runner_image.repository_url == null
    error_message = "An own image creates no repository and no build."
  }

  assert {
    condition     = output.runner_hosts.ecs_task_definitions["fargate"].image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-runner:2.331.0-abc"
    error_message = "The task definition runs the own image."
  }
}

run "without_fargate_platforms_nothing_is_built" {
  command = plan

  variables {
    platforms = {
      ec2-linux-x64 = {
        labels         = ["self-hosted", "linux", "x64", "ec2"]
        host_kind      = "EC2"
        arch           = "x64"
        instance_types = ["m7i.large"]
      }
    }
  }

  assert {
    condition     = output.runner_image.image == null && output.runner_image.tag == null
    error_message = "Only Fargate platforms need the image."
  }
}

run "an_allow_list_is_accepted" {
  command = plan

  variables {
    allow = ["my-org", "other-org/*", "third.org/some_repo-1"]
  }

  assert {
    condition     = output.parameter_names.allow == "/runfleet/test/allow"
    error_message = "The allow-list parameter's name."
  }
}

run "accepts_the_boundary_values_of_every_validation" {
  command = plan

  variables {
    stage = "a1-b2c3d4e5f"
    platforms = {
      fargate = {
        priority     = 0
        labels       = ["self-hosted", "linux", "x64", "fargate"]
        host_kind    = "ECS_FARGATE"
        arch         = "x64"
        cap          = 0
        runner_class = "xl-16"
        spot_mode    = "spotOnly"
      }
      ec2-linux-arm64 = {
        priority       = 999999
        labels         = ["self-hosted", "linux", "arm64", "ec2"]
        host_kind      = "EC2"
        arch           = "arm64"
        cap            = 100000
        spot_mode      = "onDemandOnly"
        instance_types = ["m7g.large"]
      }
      ec2-linux-x64 = {
        enabled        = false
        labels         = ["ec2"]
        host_kind      = "EC2"
        arch           = "x64"
        instance_types = ["m7i.large"]
      }
    }
    runner_classes = {
      xl-16 = { cpu = 16384, memory = 131072 }
      tiny  = { cpu = 256, memory = 512 }
    }
    github_app = {
      app_id                            = 1
      webhook_secret_parameter          = "runfleet_test.webhook-secret/v2"
      previous_webhook_secret_parameter = "/runfleet/test/webhook-secret-old"
      private_key_secret_arn            = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/private-key"
      kms_key_arn                       = "arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"
      api_url                           = "https://github.example.com:8443/api/v3"
      runner_group_id                   = 7
    }
    allow = ["my-org", "Other.Org/*", "third_org/repo-1.x"]
    network = {
      vpc_id             = "vpc-0123abcd"
      subnet_ids         = ["subnet-0123abcd", "subnet-0123456789abcdef0"]
      security_group_ids = ["sg-01234567", "sg-11234567", "sg-21234567", "sg-31234567", "sg-41234567"]
      assign_public_ip   = true
    }
    lambda = {
      runtime            = "java21"
      architecture       = "arm64"
      memory_size        = 512
      log_retention_days = 3653
    }
    webhook = {
      throttling_rate_limit  = 1
      throttling_burst_limit = 1
      max_body_bytes         = 1024
      timeout_seconds        = 3
    }
    flow = {
      global_cap              = 0
      launch_rate             = 0.1
      launch_burst            = 1000
      paused                  = true
      max_launch_attempts     = 100
      parameter_cache_seconds = 0
      max_cap_per_platform    = 100000
      max_launch_rate         = 1000
    }
    publisher = {
      batch_size             = 1000
      maximum_retry_attempts = 0
      maximum_record_age     = 60
      parallelization_factor = 10
      timeout_seconds        = 900
      sweep_schedule         = "cron(0/5 * * * ? *)"
      runner_idle_seconds    = 86400
    }
    orchestrators = {
      batch_size           = 1
      maximum_concurrency  = 1000
      max_receive_count    = 1000
      timeout_seconds      = 10
      launch_lease_seconds = 3600
    }
    runners = {
      fargate_image                    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-runner:2.331.0-abc"
      fargate_image_ecr_repository_arn = "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/my-runner"
      ec2_ami                          = { arm64 = "ami-0123456789abcdef0" }
      root_volume_gb                   = 16384
      log_retention_days               = 1
    }
    runner_image = {
      build_on_apply        = false
      build_timeout_minutes = 480
      keep_builds           = 100
      log_retention_days    = 1
    }
    observability = {
      alarm_actions           = ["arn:aws:sns:eu-west-1:123456789012:oncall"]
      queue_age_alarm_seconds = 60
    }
    tags = { team = "ci", "Cost-Center" = "4711" }
  }

  assert {
    condition     = output.parameter_names.allow == "/runfleet/a1-b2c3d4e5f/allow" && output.runner_image.image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-runner:2.331.0-abc"
    error_message = "Boundary values plan."
  }
}

run "accepts_the_image_build_bounds_and_an_allow_list_of_4096_characters" {
  command = plan

  variables {
    runner_image = {
      base_image_digest     = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      build_timeout_minutes = 10
      keep_builds           = 1
    }
    allow = ["o000-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o001-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o002-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o003-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o004-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o005-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o006-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o007-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o008-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o009-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o010-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o011-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o012-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o013-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o014-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o015-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o016-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o017-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o018-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o019-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o020-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o021-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o022-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o023-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o024-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o025-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o026-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o027-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o028-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o029-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o030-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o031-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o032-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o033-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o034-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o035-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o036-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o037-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o038-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o039-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o040-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o041-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o042-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o043-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o044-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o045-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o046-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o047-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o048-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o049-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o050-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o051-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o052-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o053-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o054-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o055-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o056-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o057-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o058-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o059-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o060-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o061-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o062-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o063-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o064-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o065-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o066-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o067-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o068-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o069-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o070-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o071-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o072-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o073-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o074-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o075-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o076-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o077-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o078-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o079-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o080-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o081-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o082-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o083-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o084-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o085-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o086-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o087-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o088-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o089-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o090-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o091-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o092-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o093-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o094-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o095-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o096-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o097-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "o098-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"]
  }

  assert {
    condition     = length(join(",", var.allow)) == 4096
    error_message = "The allow-list is exactly at SSM's limit."
  }
}

run "rejects_an_ec2_platform_whose_arch_has_no_ami" {
  command = plan

  variables {
    runners = { ec2_ami = { x64 = "ami-0123456789abcdef0" } }
  }

  expect_failures = [data.aws_caller_identity.current]
}

run "github_hook_ranges_are_off_by_default" {
  command = plan

  assert {
    condition     = !contains(keys(module.webhook.environment), "RUNFLEET_HOOK_RANGES_PARAMETER")
    error_message = "By default the producer checks no source address."
  }
}

run "github_hook_ranges_enabled_reach_the_producer_from_the_github_parameters" {
  command = plan

  variables {
    webhook = { github_hook_ranges = { enabled = true } }
  }

  assert {
    condition     = module.webhook.environment.RUNFLEET_HOOK_RANGES_PARAMETER == "/runfleet-github/test/hook-ranges"
    error_message = "Enabled, the producer reads the ranges from /runfleet-github/<stage>/hook-ranges, beside the App's parameters."
  }
}

run "jars_go_through_an_artifacts_bucket_the_stack_creates" {
  command = plan

  assert {
    condition     = length(aws_s3_bucket.artifacts) == 1 && aws_s3_bucket_public_access_block.artifacts[0].block_public_acls && aws_s3_bucket_public_access_block.artifacts[0].restrict_public_buckets
    error_message = "Without lambda.s3_bucket the stack creates a private artifacts bucket for the jars."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.artifacts[0].rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "The artifacts bucket encrypts at rest."
  }

  assert {
    condition     = local.lambda_settings.s3_bucket == aws_s3_bucket.artifacts[0].id
    error_message = "Every function uploads its jar to the artifacts bucket."
  }
}

run "jars_go_through_the_given_bucket" {
  command = plan

  variables {
    lambda = { s3_bucket = "my-artifacts" }
  }

  assert {
    condition     = length(aws_s3_bucket.artifacts) == 0 && local.lambda_settings.s3_bucket == "my-artifacts"
    error_message = "A given lambda.s3_bucket is used and no bucket is created."
  }
}
