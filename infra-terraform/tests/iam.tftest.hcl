# The policies each function and each build role gets, read as AWS would: the real provider renders every
# aws_iam_policy_document offline during plan (fake credentials, no API call: nothing reaches AWS in a plan of
# new resources), and the asserts parse the JSON. Submodules are planned on their own, so every ARN in their
# policies is known at plan time. Run from infra-terraform/: terraform test -filter=tests/iam.tftest.hcl

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
  jars       = { ECS_FARGATE = "tests/fixtures/placeholder-ecs.jar", EC2 = "tests/fixtures/placeholder-ec2.jar" }
  lambda     = { runtime = "java17", architecture = "x86_64", memory_size = 1024, log_retention_days = 7, s3_bucket = "artifacts" }
  table_name = "runfleet-test-jobs"
  table_arn  = "arn:aws:dynamodb:eu-west-1:123456789012:table/runfleet-test-jobs"
  region     = "eu-west-1"
  account_id = "123456789012"
  partition  = "aws"
  tags       = {}

  platforms_json          = "[]"
  parameter_cache_seconds = 5
  allow_parameter_arn     = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow"
}

run "producer_reads_only_its_webhook_secrets_and_the_allow_list" {
  command = plan

  module {
    source = "./modules/webhook"
  }

  variables {
    webhook_secret_parameter          = "/runfleet-github/test/webhook-secret"
    previous_webhook_secret_parameter = "/runfleet-github/test/webhook-secret-old"
    max_body_bytes                    = 1048576
    timeout_seconds                   = 10
    throttling_rate_limit             = 100
    throttling_burst_limit            = 200
  }

  assert {
    condition = alltrue([for a in flatten([for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : flatten([s.Action])]) :
      !strcontains(a, "*") && contains(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "ssm:GetParameter"], a)
    ])
    error_message = "The producer may only read and append jobs and read parameters, each action named."
  }

  assert {
    condition = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "ssm:GetParameter")])) == toset([
      "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/webhook-secret",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/webhook-secret-old",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow",
    ])
    error_message = "The producer reads exactly the webhook secret, the one being rotated out and the allow-list."
  }

  assert {
    condition     = length([for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : s if contains(flatten([s.Action]), "kms:Decrypt")]) == 0
    error_message = "SecureStrings under the AWS-managed aws/ssm key need no kms:Decrypt grant."
  }

  assert {
    condition     = local.environment.RUNFLEET_STAGE == "test" && local.environment.RUNFLEET_PARAMETER_CACHE_SECONDS == "5" && local.environment.RUNFLEET_WEBHOOK_SECRET_PARAM == "/runfleet-github/test/webhook-secret"
    error_message = "The producer gets its stage and cache time (allow-list) and the webhook secret's name."
  }

  assert {
    condition     = local.environment.RUNFLEET_MAX_EVENT_AGE_SECONDS == "86400"
    error_message = "By default the producer refuses queued events of jobs created more than a day ago."
  }

  assert {
    condition     = aws_cloudwatch_log_metric_filter.throttled.pattern == "{ $.status = \"429\" }" && aws_cloudwatch_log_metric_filter.throttled.log_group_name == aws_cloudwatch_log_group.access.name && aws_cloudwatch_metric_alarm.throttled.metric_name == "WebhookThrottled"
    error_message = "Throttled deliveries (429 in the access log) raise an alarm."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.client_errors.threshold == 10 && length([for q in aws_cloudwatch_metric_alarm.client_errors.metric_query : q if q.return_data]) == 1 && toset(flatten([for q in aws_cloudwatch_metric_alarm.client_errors.metric_query : [for m in q.metric : m.metric_name]])) == toset(["4xx", "Count"])
    error_message = "The 4xx alarm watches the share of 4xx answers among all requests."
  }
}

run "producer_decrypts_with_a_customer_key_only_through_ssm" {
  command = plan

  module {
    source = "./modules/webhook"
  }

  variables {
    webhook_secret_parameter = "/runfleet-github/test/webhook-secret"
    kms_key_arn              = "arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"
    max_body_bytes           = 1048576
    timeout_seconds          = 10
    throttling_rate_limit    = 100
    throttling_burst_limit   = 200
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "DecryptWebhookSecret"] == ["ssm.eu-west-1.amazonaws.com"] && [for s in jsondecode(data.aws_iam_policy_document.producer.json).Statement : s.Resource if s.Sid == "DecryptWebhookSecret"] == ["arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"]
    error_message = "A customer-managed key is decrypted only through SSM, and only that key."
  }
}

run "orchestrators_read_the_app_key_and_allow_list_and_pass_only_runner_roles" {
  command = plan

  module {
    source = "./modules/orchestrators"
  }

  variables {
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
        instance_types = ["m7i.large"]
      }
    }
    batch_size             = 10
    maximum_concurrency    = 5
    timeout_seconds        = 60
    launch_lease_seconds   = 120
    github_app_id          = 12345
    github_api_url         = "https://api.github.com"
    github_runner_group_id = 1
    private_key_secret_arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/private-key"
    jit_secret_prefix      = "runfleet/test/jit"
    jit_kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    runner_role_ids        = { fargate = "AROAFARGATE00000RUNNER", ec2-linux-x64 = "AROAEC2LINUXX640RUNNER" }
    network = {
      subnet_ids         = ["subnet-0123456789abcdef0"]
      security_group_ids = ["sg-0123456789abcdef0"]
      assign_public_ip   = false
    }
    ecs = {
      cluster_arn              = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
      task_definition_families = { fargate = "runfleet-test-fargate" }
      task_definition_arns     = { fargate = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-fargate:*"] }
      pass_role_arns           = { fargate = ["arn:aws:iam::123456789012:role/runfleet-test-runner-fargate", "arn:aws:iam::123456789012:role/runfleet-test-runner-exec"] }
    }
    ec2 = {
      launch_template_ids  = { ec2-linux-x64 = "lt-0123456789abcdef0" }
      launch_template_arns = { ec2-linux-x64 = "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0" }
      pass_role_arns       = { ec2-linux-x64 = ["arn:aws:iam::123456789012:role/runfleet-test-runner-ec2-linux-x64"] }
    }
  }

  assert {
    condition     = alltrue(flatten([for p, d in data.aws_iam_policy_document.orchestrator : [for s in jsondecode(d.json).Statement : [for a in flatten([s.Action]) : a != "*" && !endswith(a, ":*")]]]))
    error_message = "No orchestrator statement grants a wildcard action."
  }

  assert {
    condition = alltrue([for p, d in data.aws_iam_policy_document.orchestrator :
      toset(flatten([for s in jsondecode(d.json).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "ssm:GetParameter")])) == toset([
        "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/private-key",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow",
      ])
    ])
    error_message = "Every orchestrator reads exactly the App's private key parameter and the allow-list from SSM."
  }

  assert {
    condition     = alltrue([for p, d in data.aws_iam_policy_document.orchestrator : length([for s in jsondecode(d.json).Statement : s if s.Sid != "EncryptJitConfig" && (contains(flatten([s.Action]), "secretsmanager:GetSecretValue") || contains(flatten([s.Action]), "kms:Decrypt"))]) == 0])
    error_message = "A private key in SSM under aws/ssm needs neither GetSecretValue nor kms:Decrypt (only the JIT key is used)."
  }

  assert {
    condition = alltrue([for p, d in data.aws_iam_policy_document.orchestrator :
      [for s in jsondecode(d.json).Statement : s.Resource if s.Sid == "EncryptJitConfig"] == ["arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"]
      && [for s in jsondecode(d.json).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "EncryptJitConfig"] == ["secretsmanager.eu-west-1.amazonaws.com"]
    ])
    error_message = "Orchestrators encrypt the JIT configs with the JIT key, through Secrets Manager only."
  }

  assert {
    condition = alltrue([for p, d in data.aws_iam_policy_document.orchestrator :
      contains(flatten([for s in jsondecode(d.json).Statement : s.Action if s.Sid == "HandOverJitConfig"]), "secretsmanager:TagResource")
      && [for s in jsondecode(d.json).Statement : s.Resource if s.Sid == "FindRunnerJitConfigs"] == ["*"]
    ])
    error_message = "Orchestrators bind hand-over secrets to their host (TagResource) and find a runner's secrets (ListSecrets)."
  }

  assert {
    condition     = local.environment["fargate"].RUNFLEET_RUNNER_ROLE_ID == "AROAFARGATE00000RUNNER" && local.environment["ec2-linux-x64"].RUNFLEET_RUNNER_ROLE_ID == "AROAEC2LINUXX640RUNNER"
    error_message = "Each orchestrator knows its own platform's runner role id, the first half of its hosts' aws:userid."
  }

  assert {
    condition = (
      toset(flatten([for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "iam:PassRole")])) == toset(["arn:aws:iam::123456789012:role/runfleet-test-runner-fargate", "arn:aws:iam::123456789012:role/runfleet-test-runner-exec"])
      && toset(flatten([for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "iam:PassRole")])) == toset(["arn:aws:iam::123456789012:role/runfleet-test-runner-ec2-linux-x64"])
    )
    error_message = "iam:PassRole goes only to the platform's own runner roles."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : s.Condition.StringEquals["iam:PassedToService"] if s.Sid == "PassRunnerRoles"] == ["ecs-tasks.amazonaws.com"] && [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : s.Condition.StringEquals["iam:PassedToService"] if s.Sid == "PassRunnerRoles"] == ["ec2.amazonaws.com"]
    error_message = "Runner roles are passed only to the service that starts the platform's hosts."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : s.Resource if s.Sid == "ConsumeOwnQueue"] == ["arn:aws:sqs:eu-west-1:123456789012:runfleet-test-fargate"]
    error_message = "An orchestrator consumes its own platform's queue only."
  }

  # Each launch statement read whole: its actions, its resources and its conditions, as exact sets.
  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : {
      actions   = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "RunRunnerTasks"] == [{
      actions   = toset(["ecs:RunTask"])
      resources = toset(["arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-fargate:*"])
      condition = {
        ArnEquals    = { "ecs:cluster" = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners" }
        StringEquals = { "aws:RequestTag/runfleet:platform" = "fargate", "aws:RequestTag/runfleet:stage" = "test" }
      }
    }]
    error_message = "RunTask: only the platform's task definition family, in the runner cluster, with the platform and stage tags."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : {
      actions   = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "StopOwnRunnerTasks"] == [{
      actions   = toset(["ecs:StopTask"])
      resources = toset(["arn:aws:ecs:eu-west-1:123456789012:task/runfleet-test-runners/*"])
      condition = {
        ArnEquals    = { "ecs:cluster" = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners" }
        StringEquals = { "aws:ResourceTag/runfleet:platform" = "fargate" }
      }
    }]
    error_message = "StopTask: only the runner cluster's tasks that carry the platform's tag."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : {
      actions   = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "DescribeRunnerTasks"] == [{
      actions   = toset(["ecs:DescribeTasks"])
      resources = toset(["arn:aws:ecs:eu-west-1:123456789012:task/runfleet-test-runners/*"])
      condition = { ArnEquals = { "ecs:cluster" = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners" } }
    }]
    error_message = "DescribeTasks: only the runner cluster's tasks."
  }

  assert {
    condition     = toset([for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : s.Sid if length(setintersection(toset(flatten([s.Action])), toset(["ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks"]))) > 0]) == toset(["RunRunnerTasks", "StopOwnRunnerTasks", "DescribeRunnerTasks"])
    error_message = "No other statement grants RunTask, StopTask or DescribeTasks."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : {
      actions = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "RunFromOwnTemplate"] == [{
      actions = toset(["ec2:RunInstances"])
      resources = toset([
        "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0",
        "arn:aws:ec2:eu-west-1:123456789012:volume/*",
        "arn:aws:ec2:eu-west-1:123456789012:network-interface/*",
        "arn:aws:ec2:eu-west-1:123456789012:fleet/*",
        "arn:aws:ec2:eu-west-1:123456789012:spot-instances-request/*",
        "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0",
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0",
      ])
      condition = { ArnEquals = { "ec2:LaunchTemplate" = "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0" } }
    }]
    error_message = "RunInstances uses only the platform's launch template, subnets and security groups, and creates only its volumes, interfaces and spot requests."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : {
      actions   = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "RunTemplateImage"] == [{
      actions   = toset(["ec2:RunInstances"])
      resources = toset(["arn:aws:ec2:eu-west-1::image/*"])
      condition = {
        ArnEquals = { "ec2:LaunchTemplate" = "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0" }
        Bool      = { "ec2:IsLaunchTemplateResource" = "true" }
      }
    }]
    error_message = "An image only as the platform's launch template names it, never one passed in the request."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : {
      actions   = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "RunTaggedInstances"] == [{
      actions   = toset(["ec2:RunInstances"])
      resources = toset(["arn:aws:ec2:eu-west-1:123456789012:instance/*"])
      condition = {
        ArnEquals = { "ec2:LaunchTemplate" = "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0" }
        StringEquals = {
          "ec2:InstanceType"                 = "m7i.large"
          "ec2:MetadataHttpTokens"           = "required"
          "aws:RequestTag/runfleet:platform" = "ec2-linux-x64"
          "aws:RequestTag/runfleet:stage"    = "test"
        }
      }
    }]
    error_message = "Instances only of the platform's types, with IMDSv2 required, from its template, tagged for tear-down."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : {
      actions = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])) } if s.Sid == "CreateRunnerFleets"] == [{
      actions = toset(["ec2:CreateFleet"])
      resources = toset([
        "arn:aws:ec2:eu-west-1:123456789012:launch-template/lt-0123456789abcdef0",
        "arn:aws:ec2:eu-west-1:123456789012:volume/*",
        "arn:aws:ec2:eu-west-1:123456789012:network-interface/*",
        "arn:aws:ec2:eu-west-1:123456789012:fleet/*",
        "arn:aws:ec2:eu-west-1:123456789012:spot-instances-request/*",
        "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-0123456789abcdef0",
        "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123456789abcdef0",
        "arn:aws:ec2:eu-west-1::image/*",
      ])
    }] && [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : lookup(s, "Condition", null) if s.Sid == "CreateRunnerFleets"] == [null]
    error_message = "CreateFleet names only the platform's launch template and what its launch uses; its instances are checked as RunInstances."
  }

  assert {
    condition = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : {
      actions   = toset(flatten([s.Action])), resources = toset(flatten([s.Resource])), condition = s.Condition } if s.Sid == "CreateFleetTaggedInstances"] == [{
      actions   = toset(["ec2:CreateFleet"])
      resources = toset(["arn:aws:ec2:eu-west-1:123456789012:instance/*"])
      condition = { StringEquals = { "aws:RequestTag/runfleet:platform" = "ec2-linux-x64", "aws:RequestTag/runfleet:stage" = "test" } }
    }]
    error_message = "A fleet's instances only with the runner tags."
  }

  assert {
    condition     = toset([for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : s.Sid if length(setintersection(toset(flatten([s.Action])), toset(["ec2:RunInstances", "ec2:CreateFleet"]))) > 0]) == toset(["CreateRunnerFleets", "RunFromOwnTemplate", "RunTemplateImage", "RunTaggedInstances", "CreateFleetTaggedInstances"])
    error_message = "No other statement grants RunInstances or CreateFleet."
  }

  assert {
    condition     = length([for s in jsondecode(data.aws_iam_policy_document.orchestrator["ec2-linux-x64"].json).Statement : s if contains(flatten([s.Action]), "ec2:RunInstances") && contains(flatten([s.Resource]), "arn:aws:ec2:eu-west-1::image/*") && try(s.Condition.Bool["ec2:IsLaunchTemplateResource"], "") != "true"]) == 0
    error_message = "RunInstances never gets image/* without the launch-template condition."
  }

  assert {
    condition     = alltrue([for p, env in local.environment : env.RUNFLEET_PARAMETER_CACHE_SECONDS == "5" && env.RUNFLEET_STAGE == "test" && env.RUNFLEET_GITHUB_PRIVATE_KEY_ARN == "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/private-key"])
    error_message = "Every orchestrator gets the stage and cache time of the allow-list and the private key's ARN."
  }
}

run "orchestrators_read_a_secrets_manager_key_with_get_secret_value" {
  command = plan

  module {
    source = "./modules/orchestrators"
  }

  variables {
    platforms = {
      fargate = {
        handler        = "dev.runfleet.orchestrators.FargateOrchestratorHandler"
        host_kind      = "ECS_FARGATE"
        queue_arn      = "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-fargate"
        spot_mode      = "spotPreferred"
        instance_types = []
      }
    }
    batch_size             = 10
    maximum_concurrency    = 5
    timeout_seconds        = 60
    launch_lease_seconds   = 120
    github_app_id          = 12345
    github_api_url         = "https://api.github.com"
    github_runner_group_id = 1
    private_key_secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
    jit_secret_prefix      = "runfleet/test/jit"
    jit_kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    runner_role_ids        = { fargate = "AROAFARGATE00000RUNNER" }
    network                = { subnet_ids = ["subnet-0123456789abcdef0"], security_group_ids = ["sg-0123456789abcdef0"], assign_public_ip = false }
    ecs = {
      cluster_arn              = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
      task_definition_families = { fargate = "runfleet-test-fargate" }
      task_definition_arns     = { fargate = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-fargate:*"] }
      pass_role_arns           = { fargate = ["arn:aws:iam::123456789012:role/runfleet-test-runner-fargate"] }
    }
    ec2 = { launch_template_ids = {}, launch_template_arns = {}, pass_role_arns = {} }
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : s.Resource if contains(flatten([s.Action]), "secretsmanager:GetSecretValue")] == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"]
    error_message = "A private key in Secrets Manager is read with GetSecretValue on exactly its ARN."
  }

  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "ssm:GetParameter")])) == toset(["arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow"])
    error_message = "With the key in Secrets Manager the orchestrator reads only the allow-list from SSM."
  }
}

run "orchestrator_reads_the_app_id_parameter_when_no_id_is_given" {
  command = plan

  module {
    source = "./modules/orchestrators"
  }

  variables {
    platforms = {
      fargate = {
        handler        = "dev.runfleet.orchestrators.FargateOrchestratorHandler"
        host_kind      = "ECS_FARGATE"
        queue_arn      = "arn:aws:sqs:eu-west-1:123456789012:runfleet-test-fargate"
        spot_mode      = "spotPreferred"
        instance_types = []
      }
    }
    batch_size              = 10
    maximum_concurrency     = 5
    timeout_seconds         = 60
    launch_lease_seconds    = 120
    github_app_id           = null
    github_app_id_parameter = { name = "/runfleet-github/test/app-id", arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/app-id" }
    github_api_url          = "https://api.github.com"
    github_runner_group_id  = 1
    private_key_secret_arn  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/github/private-key-AbCdEf"
    jit_secret_prefix       = "runfleet/test/jit"
    jit_kms_key_arn         = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    runner_role_ids         = { fargate = "AROAFARGATE00000RUNNER" }
    network                 = { subnet_ids = ["subnet-0123456789abcdef0"], security_group_ids = ["sg-0123456789abcdef0"], assign_public_ip = false }
    ecs = {
      cluster_arn              = "arn:aws:ecs:eu-west-1:123456789012:cluster/runfleet-test-runners"
      task_definition_families = { fargate = "runfleet-test-fargate" }
      task_definition_arns     = { fargate = ["arn:aws:ecs:eu-west-1:123456789012:task-definition/runfleet-test-fargate:*"] }
      pass_role_arns           = { fargate = ["arn:aws:iam::123456789012:role/runfleet-test-runner-fargate"] }
    }
    ec2 = { launch_template_ids = {}, launch_template_arns = {}, pass_role_arns = {} }
  }

  assert {
    condition     = toset(flatten([for s in jsondecode(data.aws_iam_policy_document.orchestrator["fargate"].json).Statement : flatten([s.Resource]) if contains(flatten([s.Action]), "ssm:GetParameter")])) == toset(["arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/test/allow", "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/app-id"])
    error_message = "Without a given App id the orchestrator may read exactly the app-id parameter (and the allow-list) from SSM."
  }

  assert {
    condition     = output.environments["fargate"].RUNFLEET_GITHUB_APP_ID_PARAMETER == "/runfleet-github/test/app-id" && !contains(keys(output.environments["fargate"]), "RUNFLEET_GITHUB_APP_ID")
    error_message = "The orchestrator is told where the id is, and no id."
  }
}

run "runner_image_build_roles_push_to_their_repository_only" {
  command = plan

  module {
    source = "./modules/runner_image"
  }

  variables {
    runner_dir            = "../runner"
    keep_builds           = 5
    build_timeout_minutes = 60
    build_on_apply        = true
    log_retention_days    = 30
  }

  assert {
    condition = alltrue([for a in flatten([for d in [data.aws_iam_policy_document.build, data.aws_iam_policy_document.batch] : [for s in jsondecode(d.json).Statement : flatten([s.Action])]]) :
      a != "*" && !endswith(a, ":*")
    ])
    error_message = "The build and batch roles name every action."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.build.json).Statement : s.Resource if contains(flatten([s.Action]), "ecr:PutImage")] == ["arn:aws:ecr:eu-west-1:123456789012:repository/runfleet-test-runner"]
    error_message = "The build pushes only to the runner repository."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.build.json).Statement : s.Resource if s.Resource == "*"] == ["*"] && [for s in jsondecode(data.aws_iam_policy_document.build.json).Statement : s.Action if s.Resource == "*"] == ["ecr:GetAuthorizationToken"]
    error_message = "Only ecr:GetAuthorizationToken (account-wide by design) is granted on \"*\"."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.build.json).Statement : s.Resource if contains(flatten([s.Action]), "s3:GetObject")] == ["arn:aws:s3:::runfleet-test-runner-src-123456789012-eu-west-1/runner-image/*"]
    error_message = "The build reads only the uploaded sources."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.batch.json).Statement : s.Resource] == ["arn:aws:codebuild:eu-west-1:123456789012:project/runfleet-test-runner-image"]
    error_message = "The batch role starts builds of its own project only."
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.assume_codebuild.json).Statement[0].Principal.Service == "codebuild.amazonaws.com" && jsondecode(data.aws_iam_policy_document.assume_codebuild.json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    error_message = "Only CodeBuild, for this account, assumes the build roles."
  }
}

# A runner role may read and delete a hand-over secret only when the secret's runfleet:host tag equals the
# caller's aws:userid (role-id:task-id on Fargate, role-id:instance-id on EC2): no statement grants a secret
# action without that condition, and the key is decrypted only through Secrets Manager for the platform's own
# secrets.
run "fargate_runner_roles_read_only_the_secret_bound_to_their_own_task" {
  command = plan

  module {
    source = "./modules/runners_ecs"
  }

  variables {
    platforms          = { fargate = { arch = "x64", runner_class = "small" } }
    runner_classes     = { small = { cpu = 1024, memory = 2048 } }
    image              = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/runner:2.331.0-abc"
    jit_secret_prefix  = "runfleet/test/jit"
    kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    log_retention_days = 7
  }

  assert {
    condition = alltrue([for s in jsondecode(aws_iam_role_policy.task["fargate"].policy).Statement :
      try(s.Condition.StringEquals["secretsmanager:ResourceTag/runfleet:host"], null) == "$${aws:userid}"
      if length([for a in flatten([s.Action]) : a if startswith(a, "secretsmanager:")]) > 0
    ])
    error_message = "Every secretsmanager statement of a task role is bound to the caller's own task (runfleet:host = aws:userid)."
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.task["fargate"].policy).Statement : s.Resource if s.Sid == "TakeJitConfigOnce"] == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/jit/fargate/*"]
    error_message = "A task role reaches only its own platform's hand-over secrets."
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.task["fargate"].policy).Statement : [s.Resource, s.Condition.StringEquals["kms:ViaService"], s.Condition.StringLike["kms:EncryptionContext:SecretARN"]] if s.Sid == "DecryptJitConfig"] == [[
      "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555",
      "secretsmanager.eu-west-1.amazonaws.com",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/test/jit/fargate/*",
    ]]
    error_message = "A task role decrypts with the JIT key only through Secrets Manager and only its platform's secrets."
  }

  assert {
    condition     = alltrue([for c in jsondecode(aws_ecs_task_definition.runner["fargate"].container_definitions) : try(c.linuxParameters.initProcessEnabled, false) == false])
    error_message = "No init process: PID 1 would keep the task's credentials URI in /proc/1/environ for the job to read."
  }
}

run "ec2_runner_roles_read_only_the_secret_bound_to_their_own_instance" {
  command = plan

  module {
    source = "./modules/runners_ec2"
  }

  variables {
    stage              = "test"
    platforms          = { ec2-linux-x64 = { arch = "x64" } }
    amis               = { x64 = "ami-0123456789abcdef0" }
    boot_script        = "modules/runners_ec2/templates/boot.sh.tftpl"
    root_volume_gb     = 30
    security_group_ids = ["sg-0123456789abcdef0"]
    assign_public_ip   = false
    jit_secret_prefix  = "runfleet/test/jit"
    kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
    log_retention_days = 7
  }

  # The instance role's policy also names its log group, whose ARN exists only after apply, so the merged
  # document renders then: these asserts read the shared hand-over statements it is built from, and its own.
  assert {
    condition = alltrue([for s in jsondecode(module.take_jit_config["ec2-linux-x64"].json).Statement :
      try(s.Condition.StringEquals["secretsmanager:ResourceTag/runfleet:host"], null) == "$${aws:userid}"
      if length([for a in flatten([s.Action]) : a if startswith(a, "secretsmanager:")]) > 0
    ])
    error_message = "Every secretsmanager statement of an instance role is bound to the caller's own instance (runfleet:host = aws:userid)."
  }

  assert {
    condition = (
      one(data.aws_iam_policy_document.runner["ec2-linux-x64"].source_policy_documents) == module.take_jit_config["ec2-linux-x64"].json
      && length([for s in data.aws_iam_policy_document.runner["ec2-linux-x64"].statement : s if length([for a in s.actions : a if startswith(a, "secretsmanager:") || startswith(a, "kms:")]) > 0]) == 0
    )
    error_message = "An instance role gets its secret and key statements only from the shared, host-bound hand-over policy."
  }

  assert {
    condition     = [for s in jsondecode(module.take_jit_config["ec2-linux-x64"].json).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "DecryptJitConfig"] == ["secretsmanager.eu-west-1.amazonaws.com"]
    error_message = "An instance role decrypts with the JIT key only through Secrets Manager."
  }

  assert {
    condition = (
      aws_launch_template.runner["ec2-linux-x64"].metadata_options[0].http_tokens == "required"
      && aws_launch_template.runner["ec2-linux-x64"].metadata_options[0].http_put_response_hop_limit == 1
      && aws_launch_template.runner["ec2-linux-x64"].metadata_options[0].http_protocol_ipv6 == "disabled"
    )
    error_message = "Instances require IMDSv2, one hop (no container reaches IMDS), and offer no IPv6 metadata endpoint the iptables rule would not cover."
  }
}

run "the_jit_key_is_used_by_the_hand_over_roles_only" {
  command = plan

  module {
    source = "./modules/jit_key"
  }

  variables {
    create                 = true
    orchestrator_role_arns = ["arn:aws:iam::123456789012:role/runfleet-test-orch-fargate"]
    runner_role_arns       = ["arn:aws:iam::123456789012:role/runfleet-test-runner-fargate"]
  }

  assert {
    condition = alltrue([for s in jsondecode(output.key_policy).Statement :
      length([for a in flatten([s.Action]) : a if contains(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant", "kms:*"], a)]) == 0
      if s.Effect == "Allow" && s.Sid != "HandOverRolesUseTheKeyThroughSecretsManager"
    ])
    error_message = "Only the hand-over statement allows using the key; administration grants no crypto action and no grant."
  }

  assert {
    condition = [for s in jsondecode(output.key_policy).Statement : [s.Condition.StringEquals["kms:ViaService"], toset(flatten([s.Condition.ArnEquals["aws:PrincipalArn"]]))] if s.Sid == "HandOverRolesUseTheKeyThroughSecretsManager"] == [[
      "secretsmanager.eu-west-1.amazonaws.com",
      toset(["arn:aws:iam::123456789012:role/runfleet-test-orch-fargate", "arn:aws:iam::123456789012:role/runfleet-test-runner-fargate"]),
    ]]
    error_message = "The orchestrators and runner roles use the key, through Secrets Manager only."
  }

  assert {
    condition = [for s in jsondecode(output.key_policy).Statement : [s.Effect, s.Principal.AWS, contains(flatten([s.Action]), "kms:Decrypt"), toset(flatten([s.Condition.ArnNotEquals["aws:PrincipalArn"]]))] if s.Sid == "DenyEveryOtherPrincipal"] == [[
      "Deny", "*", true,
      toset(["arn:aws:iam::123456789012:role/runfleet-test-orch-fargate", "arn:aws:iam::123456789012:role/runfleet-test-runner-fargate"]),
    ]]
    error_message = "Every other principal is denied the key's crypto operations, whatever its IAM policies say."
  }

  assert {
    condition     = aws_kms_key.jit[0].enable_key_rotation
    error_message = "The JIT key rotates."
  }
}

# GitHub's hook ranges (webhook.github_hook_ranges, README "The front door"): off, the webhook module creates
# nothing for them and the producer gets no key; on, a parameter, a refresher on a schedule with its own
# least-privilege role, an errors alarm, and the producer reading that one parameter.
run "hook_ranges_disabled_by_default_creates_nothing" {
  command = plan

  module {
    source = "./modules/webhook"
  }

  variables {
    webhook_secret_parameter = "/runfleet-github/test/webhook-secret"
    max_body_bytes           = 1048576
    timeout_seconds          = 10
    throttling_rate_limit    = 100
    throttling_burst_limit   = 200
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
    webhook_secret_parameter = "/runfleet-github/test/webhook-secret"
    max_body_bytes           = 1048576
    timeout_seconds          = 10
    throttling_rate_limit    = 100
    throttling_burst_limit   = 200
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

run "github_app_access_reads_the_app_key_where_it_is_and_decrypts_it_only_through_those_services" {
  command = plan

  module {
    source = "./modules/github_app_access"
  }

  variables {
    private_key_secret_arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/private-key"
    app_id_parameter_arn   = "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/app-id"
    kms_key_arn            = "arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"
  }

  assert {
    condition = { for s in jsondecode(data.aws_iam_policy_document.read.json).Statement : s.Sid => [s.Action, s.Resource] } == {
      ReadAppIdParameter  = ["ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/app-id"]
      ReadAppKeyParameter = ["ssm:GetParameter", "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet-github/test/private-key"]
      DecryptAppKey       = ["kms:Decrypt", "arn:aws:kms:eu-west-1:123456789012:key/0b7d2c1e-1111-2222-3333-444455556666"]
    }
    error_message = "A key in SSM is read with GetParameter on exactly its ARN, the App id parameter likewise, and the customer key is decrypted: nothing else."
  }

  assert {
    condition     = [for s in jsondecode(data.aws_iam_policy_document.read.json).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "DecryptAppKey"] == [["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"]]
    error_message = "The App key's customer key is used only through Secrets Manager or SSM."
  }
}
