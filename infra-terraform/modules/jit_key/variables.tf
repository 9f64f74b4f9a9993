variable "name" {
  description = "Resource name prefix (runfleet-<stage>)."
  type        = string
}

variable "create" {
  description = "Create the key; false when github_app.kms_key_arn names one (its policy is then yours)."
  type        = bool
}

variable "given_key_arn" {
  description = "The key to use instead of creating one; null when create is true."
  type        = string
  default     = null
}

variable "orchestrator_role_arns" {
  description = "The orchestrator functions' roles: they encrypt the hand-over secrets."
  type        = list(string)
}

variable "runner_role_arns" {
  description = "The runner roles (ECS task roles, EC2 instance roles): they decrypt their own hand-over secret."
  type        = list(string)
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
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
