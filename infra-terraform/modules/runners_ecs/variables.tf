variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "platforms" {
  description = "The enabled ECS_FARGATE platforms (the root module's platform objects)."
  type = map(object({
    arch         = string
    runner_class = string
  }))
}

variable "runner_classes" {
  description = "CPU units and MiB of memory per runner class; a platform's task definition takes its runner_class's."
  type = map(object({
    cpu    = number
    memory = number
  }))
}

variable "image" {
  description = "Runner container image."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ECR repository of the image; null for a public registry."
  type        = string
  default     = null
}

variable "jit_secret_prefix" {
  description = "Secrets Manager name prefix of the single-use JIT configs; a platform's runners read <prefix>/<platform>/*."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key the JIT configs are encrypted with (the root module's jit_key unless github_app.kms_key_arn is given)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the runner log group."
  type        = number
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "account_id" {
  description = "AWS account id."
  type        = string
}

variable "partition" {
  description = "AWS partition."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
}
