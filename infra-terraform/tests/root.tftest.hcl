# terraform test (>= 1.7) with a mocked AWS provider: nothing is created. Run from infra-terraform/:
#   terraform init && terraform test

mock_provider "aws" {
  source = "./tests/mocks"
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
    producer      = "tests/fixtures/placeholder.jar"
    publisher     = "tests/fixtures/placeholder.jar"
    orchestrators = "tests/fixtures/placeholder.jar"
  }
  # An apply would run the build's local-exec (the AWS CLI) for real: mocks do not reach provisioners. The
  # trigger itself is planned in runner_image.tftest.hcl.
  runner_image = {
    build_on_apply = false
  }
}

run "defaults_deploy_the_three_default_platforms_in_routing_order" {
  command = apply

  assert {
    condition     = [for p in jsondecode(output.platforms_json) : p.name] == ["fargate", "ec2-linux-x64", "ec2-linux-arm64"]
    error_message = "RUNFLEET_PLATFORMS must list the platforms by ascending priority."
  }

  assert {
    condition     = toset(keys(output.queue_urls)) == toset(["fargate", "ec2-linux-x64", "ec2-linux-arm64"])
    error_message = "Every enabled platform needs a command queue."
  }

  assert {
    condition     = toset(keys(output.function_names)) == toset(["producer", "publisher", "publisher-sweep", "orchestrator-fargate", "orchestrator-ec2-linux-x64", "orchestrator-ec2-linux-arm64"])
    error_message = "One function per stage, one orchestrator per platform."
  }

  assert {
    condition     = output.parameter_names.caps["fargate"] == "/runfleet/test/caps/fargate" && output.parameter_names.global_cap == "/runfleet/test/caps/global" && output.parameter_names.launch_rate == "/runfleet/test/launch-rate" && output.parameter_names.paused == "/runfleet/test/paused"
    error_message = "Runtime parameters must live under /runfleet/<stage>/ with the names the publisher reads."
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
  command = apply

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
  command = apply

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

run "rejects_a_stage_that_does_not_fit_resource_names" {
  command = plan

  variables {
    stage = "Production_Environment"
  }

  expect_failures = [var.stage]
}

run "rejects_an_unknown_host_kind" {
  command = plan

  variables {
    platforms = {
      fargate = {
        labels    = ["self-hosted"]
        host_kind = "LAMBDA"
        arch      = "x64"
      }
    }
  }

  expect_failures = [var.platforms]
}

run "rejects_a_secret_value_where_a_parameter_name_belongs" {
  command = plan

  variables {
    github_app = {
      app_id                   = 12345
      webhook_secret_parameter = "It's a Secret to Everybody"
      private_key_secret_arn   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
    }
  }

  expect_failures = [var.github_app]
}

run "rejects_a_github_api_url_that_is_not_https" {
  command = plan

  variables {
    github_app = {
      app_id                   = 12345
      api_url                  = "http://github.example.com/api/v3"
      webhook_secret_parameter = "/runfleet/test/github/webhook-secret"
      private_key_secret_arn   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
    }
  }

  expect_failures = [var.github_app]
}

run "rejects_an_app_id_that_is_not_positive" {
  command = plan

  variables {
    github_app = {
      app_id                   = 0
      webhook_secret_parameter = "/runfleet/test/github/webhook-secret"
      private_key_secret_arn   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
    }
  }

  expect_failures = [var.github_app]
}

run "rejects_a_runner_idle_time_below_a_minute" {
  command = plan

  variables {
    publisher = {
      runner_idle_seconds = 30
    }
  }

  expect_failures = [var.publisher]
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
