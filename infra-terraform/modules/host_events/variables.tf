variable "name" {
  description = "Name prefix of every resource, runfleet-<stage>."
  type        = string
}

variable "jar" {
  description = "The orchestrators' shaded jar, which holds HostEventsHandler."
  type        = string
}

variable "lambda" {
  description = "Runtime, architecture, memory, log retention and artifact bucket shared by the functions."
  type = object({
    runtime            = string
    architecture       = string
    memory_size        = number
    log_retention_days = number
    s3_bucket          = optional(string)
  })
}

variable "timeout_seconds" {
  description = "The function's timeout: one Describe call, a few table writes, two GitHub calls."
  type        = number
  default     = 30
}

variable "platforms_json" {
  description = "RUNFLEET_PLATFORMS: the platforms with their rerunOnInterruption."
  type        = string
}

variable "table_name" {
  description = "The jobs table."
  type        = string
}

variable "table_arn" {
  description = "The jobs table's ARN."
  type        = string
}

variable "ecs_cluster_arn" {
  description = "The runner cluster: only its tasks' state changes reach the function (when watch_tasks)."
  type        = string
  default     = null
}

variable "watch_tasks" {
  description = "Whether any platform runs on ECS Fargate, so that its stopped tasks are watched (known at plan, unlike the cluster's ARN)."
  type        = bool
}

variable "watch_spot_instances" {
  description = "Whether any EC2 platform may run on spot, so that spot interruption warnings are watched."
  type        = bool
}

variable "github_app_id" {
  description = "The App id, or null when it is read from github_app_id_parameter."
  type        = number
  default     = null
}

variable "github_app_id_parameter" {
  description = "Name and ARN of the SSM parameter holding the App id, when github_app_id is null."
  type = object({
    name = string
    arn  = string
  })
  default = null
}

variable "github_api_url" {
  description = "GitHub's REST API."
  type        = string
}

variable "private_key_secret_arn" {
  description = "Secrets Manager secret or SSM parameter with the App's private key."
  type        = string
}

variable "kms_key_arn" {
  description = "The customer key encrypting the App's private key, if any."
  type        = string
  default     = null
}

variable "jit_secret_prefix" {
  description = "Hand-over secrets' name prefix: an ended runner's are deleted."
  type        = string
}

variable "alarm_actions" {
  description = "SNS topics the alarms notify."
  type        = list(string)
}

variable "stage" {
  description = "RUNFLEET_STAGE: hosts tagged runfleet:stage with it are ours."
  type        = string
}

variable "region" {
  description = "The region."
  type        = string
}

variable "account_id" {
  description = "The account id."
  type        = string
}

variable "partition" {
  description = "The partition."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
}
