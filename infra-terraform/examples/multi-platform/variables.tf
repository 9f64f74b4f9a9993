variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "stage" {
  description = "Deployment name."
  type        = string
  default     = "prod"
}

variable "github_app_id" {
  description = "The GitHub App's id; null reads it from SSM /runfleet-github/<stage>/app-id."
  type        = number
  default     = null
}

variable "github_api_url" {
  description = "GitHub Enterprise Server's REST API."
  type        = string
  default     = "https://github.example.com/api/v3"
}

variable "github_runner_group_id" {
  description = "The runner group the runners join."
  type        = number
  default     = 2
}

variable "private_key_secret_arn" {
  description = "ARN of the Secrets Manager secret or SSM parameter holding the GitHub App's private key (PEM); null: SSM /runfleet-github/<stage>/private-key."
  type        = string
  default     = null
}

variable "webhook_secret_parameter" {
  description = "Name of the SSM SecureString holding the webhook secret; null: /runfleet-github/<stage>/webhook-secret."
  type        = string
  default     = null
}

variable "previous_webhook_secret_parameter" {
  description = "Name of the SecureString with the webhook secret being rotated out; null outside a rotation."
  type        = string
  default     = null
}

variable "allow" {
  description = "Owners and repositories served (NAME, OWNER/*, OWNER/REPO)."
  type        = list(string)
  default     = ["my-org"]
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key the App's secrets are encrypted with."
  type        = string
}

variable "vpc_id" {
  description = "VPC the runners run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (with a NAT route) for the runners."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups for the runners (egress to GitHub and AWS)."
  type        = list(string)
}

variable "artifacts_bucket" {
  description = "S3 bucket the Lambda jars are uploaded to."
  type        = string
}

variable "runner_image" {
  description = "An own runner container image built from runner/; null builds it."
  type        = string
  default     = null
}

variable "runner_image_repository_arn" {
  description = "ECR repository of an own runner image."
  type        = string
  default     = null
}

variable "lambda_artifacts" {
  description = "Jar paths; the default ({}) takes the Maven build's output beside the module."
  type = object({
    producer           = optional(string)
    publisher          = optional(string)
    orchestrator_ecs   = optional(string)
    orchestrator_ec2   = optional(string)
    orchestrator_fleet = optional(string)
  })
  default = {}
}
