variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "stage" {
  description = "Stage, handed to the boot script."
  type        = string
}

variable "platforms" {
  description = "The enabled EC2 platforms (the root module's platform objects)."
  type = map(object({
    arch = string
  }))
}

variable "amis" {
  description = "Image per arch (x64, arm64): an ami- id or resolve:ssm:<parameter>."
  type        = map(string)
}

variable "boot_script" {
  description = "Path of the user data template; it receives stage, platform, region, jit_secret_prefix and log_group."
  type        = string
}

variable "root_volume_gb" {
  description = "Root volume size."
  type        = number
}

variable "security_group_ids" {
  description = "Security groups of the runner instances."
  type        = list(string)
}

variable "assign_public_ip" {
  description = "Give runners a public IP (public subnets without NAT)."
  type        = bool
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
