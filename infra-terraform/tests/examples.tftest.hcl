# Both examples, planned as a user would apply them (mocked provider, values known at plan time: nothing is
# created and the image build's local-exec never runs). Run from infra-terraform/:
#   terraform test -filter=tests/examples.tftest.hcl

mock_provider "aws" {
  source          = "./tests/mocks"
  override_during = plan
}

variables {
  lambda_artifacts = {
    producer           = "tests/fixtures/placeholder.jar"
    publisher          = "tests/fixtures/placeholder.jar"
    orchestrator_ecs   = "tests/fixtures/placeholder-ecs.jar"
    orchestrator_ec2   = "tests/fixtures/placeholder-ec2.jar"
    orchestrator_fleet = "tests/fixtures/placeholder-ec2.jar"
  }
}

run "default_needs_only_region_stage_and_network" {
  command = plan

  module {
    source = "./examples/default"
  }

  # terraform.tfvars.example's values, nothing else.
  variables {
    region     = "eu-west-1"
    stage      = "dev"
    vpc_id     = "vpc-0123456789abcdef0"
    subnet_ids = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  }

  assert {
    condition = output.github_app_parameters == {
      app_id         = "/runfleet-github/dev/app-id"
      webhook_secret = "/runfleet-github/dev/webhook-secret"
      private_key    = "/runfleet-github/dev/private-key"
    }
    error_message = "The default example reads the App where runfleet setup github-app --stage dev stores it (after the apply)."
  }

  assert {
    condition     = can(regex("^2\\.331\\.0-[0-9a-f]{12}$", output.runner_image.tag)) && startswith(output.runner_image.image, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/")
    error_message = "The default example builds the runner image into ECR."
  }

  assert {
    condition     = toset(keys(output.queue_urls)) == toset(["fargate", "ec2-linux-x64", "ec2-linux-arm64"]) && output.parameter_names.allow == "/runfleet/dev/allow"
    error_message = "The default example deploys the three default platforms."
  }
}

run "default_takes_explicit_app_values" {
  command = plan

  module {
    source = "./examples/default"
  }

  variables {
    vpc_id                   = "vpc-0123456789abcdef0"
    subnet_ids               = ["subnet-0123456789abcdef0"]
    github_app_id            = 123456
    webhook_secret_parameter = "/my/github/webhook-secret"
    private_key_secret_arn   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:my/github/private-key-AbCdEf"
  }

  assert {
    condition     = output.github_app_parameters.app_id == null && output.github_app_parameters.webhook_secret == "/my/github/webhook-secret" && output.github_app_parameters.private_key == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:my/github/private-key-AbCdEf"
    error_message = "Explicit App values replace the conventional names."
  }
}

run "multi_platform_plans_every_platform_and_builds_the_image" {
  command = plan

  module {
    source = "./examples/multi-platform"
  }

  variables {
    kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"
    vpc_id             = "vpc-0123456789abcdef0"
    subnet_ids         = ["subnet-0123456789abcdef0"]
    security_group_ids = ["sg-0123456789abcdef0"]
    artifacts_bucket   = "my-artifacts"
  }

  assert {
    condition     = toset(keys(output.queue_urls)) == toset(["fargate", "fargate-large", "fargate-arm64", "ec2-linux-x64", "ec2-linux-arm64"])
    error_message = "Every platform of the example gets a queue."
  }

  assert {
    condition     = { for p, td in output.runner_hosts.ecs_task_definitions : p => [td.cpu, td.memory] } == { fargate = [1024, 2048], fargate-large = [4096, 8192], fargate-arm64 = [2048, 4096] }
    error_message = "Each Fargate platform runs the size of its runner class."
  }

  assert {
    condition     = output.runner_image.tag != null && alltrue([for td in values(output.runner_hosts.ecs_task_definitions) : td.image == output.runner_image.image])
    error_message = "Without runner_image every Fargate platform runs the built image."
  }
}

run "multi_platform_with_an_own_image_builds_nothing" {
  command = plan

  module {
    source = "./examples/multi-platform"
  }

  variables {
    kms_key_arn                 = "arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"
    vpc_id                      = "vpc-0123456789abcdef0"
    subnet_ids                  = ["subnet-0123456789abcdef0"]
    security_group_ids          = ["sg-0123456789abcdef0"]
    artifacts_bucket            = "my-artifacts"
    runner_image                = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-runner:2.331.0-abc"
    runner_image_repository_arn = "arn:aws:ecr:eu-west-1:123456789012:repository/my-runner"
  }

  assert {
    condition     = output.runner_image.tag == null && output.runner_image.image == "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-runner:2.331.0-abc"
    error_message = "An own image replaces the build."
  }
}
