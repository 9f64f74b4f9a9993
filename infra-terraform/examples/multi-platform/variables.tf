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
  description = "The GitHub App's id."
  type        = number
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
  description = "ARN of the Secrets Manager secret holding the GitHub App's private key (PEM)."
  type        = string
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
  description = "Runner container image in ECR."
  type        = string
}

variable "runner_image_repository_arn" {
  description = "ECR repository of the runner image."
  type        = string
}
