# A complete, minimal deployment: the three default platforms (Fargate, EC2 x64 spot, EC2 Graviton), runners in
# the given private subnets, the Fargate runner image built from runner/ by the apply (needs the AWS CLI). The
# GitHub App is created afterwards with `runfleet setup github-app --stage <stage> --webhook-url <webhook_url>`,
# which stores it where this reads it (README, "Deploy to AWS").

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project = "runfleet"
    }
  }
}

module "runfleet" {
  source = "../.."

  stage = var.stage

  # Nulls read the App from /runfleet-github/<stage>/ (app-id, webhook-secret, private-key).
  github_app = {
    app_id                   = var.github_app_id
    webhook_secret_parameter = var.webhook_secret_parameter
    private_key_secret_arn   = var.private_key_secret_arn
  }

  network = {
    vpc_id     = var.vpc_id
    subnet_ids = var.subnet_ids
  }

  lambda_artifacts = var.lambda_artifacts

  table = {
    deletion_protection = var.table_deletion_protection
  }
}
