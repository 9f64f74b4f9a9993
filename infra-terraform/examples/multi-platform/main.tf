# Every platform tuned: Fargate x64 in two sizes (the large one picked by a size-large label) and Fargate
# Graviton on Spot, EC2 x64 spot-only for the biggest builds, EC2 Graviton on demand; GitHub Enterprise Server
# with its own runner group, the App's id and private key where `runfleet setup github-app` stores them, the
# webhook secret rotatable, secrets and hand-over secrets under a customer-managed KMS key, an allow-list,
# alarms to an SNS topic, jars through S3, and the runners in an existing security group. The runner image is
# built by the apply unless runner_image names one.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project = "runfleet"
      stage   = var.stage
    }
  }
}

resource "aws_sns_topic" "alarms" {
  name = "runfleet-${var.stage}-alarms"
}

module "runfleet" {
  source = "../.."

  stage = var.stage

  # One size per platform: a job asks for a bigger runner with a label (size-large), which only the platform of
  # that size carries. Size platforms come after the default one, so jobs without a size label get the default.
  platforms = {
    fargate = {
      priority  = 10
      labels    = ["self-hosted", "linux", "x64", "fargate"]
      host_kind = "ECS_FARGATE"
      arch      = "x64"
      cap       = 40
      spot_mode = "spotPreferred"
    }
    fargate-large = {
      priority     = 11
      labels       = ["self-hosted", "linux", "x64", "fargate", "size-large"]
      host_kind    = "ECS_FARGATE"
      arch         = "x64"
      cap          = 10
      runner_class = "large"
      spot_mode    = "spotPreferred"
    }
    fargate-arm64 = {
      priority     = 12
      labels       = ["self-hosted", "linux", "arm64", "fargate"]
      host_kind    = "ECS_FARGATE"
      arch         = "arm64"
      cap          = 20
      runner_class = "medium"
      spot_mode    = "spotOnly"
    }
    ec2-linux-x64 = {
      priority       = 20
      labels         = ["self-hosted", "linux", "x64", "ec2", "size-xlarge"]
      host_kind      = "EC2"
      arch           = "x64"
      cap            = 20
      spot_mode      = "spotOnly"
      instance_types = ["c7i.2xlarge", "c6i.2xlarge", "m7i.2xlarge"]
    }
    ec2-linux-arm64 = {
      priority       = 30
      labels         = ["self-hosted", "linux", "arm64", "ec2"]
      host_kind      = "EC2"
      arch           = "arm64"
      cap            = 10
      spot_mode      = "onDemandOnly"
      instance_types = ["c7g.xlarge", "m7g.xlarge"]
    }
  }

  runner_classes = {
    small  = { cpu = 1024, memory = 2048 }
    medium = { cpu = 2048, memory = 4096 }
    large  = { cpu = 4096, memory = 8192 }
  }

  github_app = {
    app_id          = var.github_app_id
    api_url         = var.github_api_url
    runner_group_id = var.github_runner_group_id
    # null: /runfleet-github/<stage>/webhook-secret; during a rotation the old one stays accepted.
    webhook_secret_parameter          = var.webhook_secret_parameter
    previous_webhook_secret_parameter = var.previous_webhook_secret_parameter
    private_key_secret_arn            = var.private_key_secret_arn
    kms_key_arn                       = var.kms_key_arn
  }

  network = {
    vpc_id             = var.vpc_id
    subnet_ids         = var.subnet_ids
    security_group_ids = var.security_group_ids
  }

  # Only these owners' repositories get runners; `runfleet allow set` changes it later.
  allow = var.allow

  lambda = {
    runtime      = "java21"
    architecture = "arm64"
    memory_size  = 1536
    s3_bucket    = var.artifacts_bucket
  }

  lambda_artifacts = var.lambda_artifacts

  flow = {
    global_cap   = 60
    launch_rate  = 2
    launch_burst = 6
  }

  webhook = {
    throttling_rate_limit  = 200
    throttling_burst_limit = 400
  }

  publisher = {
    runner_idle_seconds = 900
  }

  orchestrators = {
    maximum_concurrency = 10
  }

  # Spot launches need AWSServiceRoleForEC2Spot; this account has none yet.
  create_spot_service_linked_role = true

  # null builds runner/ in CodeBuild; keep the images of the last 10 builds.
  runners = {
    fargate_image                    = var.runner_image
    fargate_image_ecr_repository_arn = var.runner_image_repository_arn
    root_volume_gb                   = 100
  }

  runner_image = {
    keep_builds = 10
  }

  observability = {
    alarm_actions           = [aws_sns_topic.alarms.arn]
    queue_age_alarm_seconds = 180
  }

  tags = {
    cost-center = "ci"
  }
}
