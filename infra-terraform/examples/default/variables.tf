variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "stage" {
  description = "Deployment name."
  type        = string
  default     = "dev"
}

variable "github_app_id" {
  description = "The GitHub App's id (its settings page, \"App ID\")."
  type        = number
}

variable "webhook_secret_parameter" {
  description = "Name of the SSM SecureString holding the GitHub App's webhook secret."
  type        = string
  default     = "/runfleet/dev/github/webhook-secret"
}

variable "private_key_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the GitHub App's private key (PEM)."
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
