variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "stage" {
  description = "Deployment name, the same as given to `runfleet setup github-app --stage`."
  type        = string
  default     = "dev"
}

variable "vpc_id" {
  description = "VPC the runners run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (with a NAT route) for the runners."
  type        = list(string)
}

variable "github_app_id" {
  description = "The GitHub App's id; null reads it from SSM /runfleet-github/<stage>/app-id."
  type        = number
  default     = null
}

variable "webhook_secret_parameter" {
  description = "Name of the SSM SecureString holding the webhook secret; null: /runfleet-github/<stage>/webhook-secret."
  type        = string
  default     = null
}

variable "private_key_secret_arn" {
  description = "ARN of the Secrets Manager secret or SSM parameter holding the App's private key (PEM); null: SSM /runfleet-github/<stage>/private-key."
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

variable "table_deletion_protection" {
  description = "Refuse to delete the jobs table. Set false (apply, then destroy) to tear the deployment down."
  type        = bool
  default     = true
}
