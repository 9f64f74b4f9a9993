variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "jar" {
  description = "Path of the producer's shaded jar."
  type        = string
}

variable "lambda" {
  description = "Shared function settings: runtime, architecture, memory_size, log_retention_days, s3_bucket."
  type = object({
    runtime            = string
    architecture       = string
    memory_size        = number
    log_retention_days = number
    s3_bucket          = string
  })
}

variable "table_name" {
  description = "Jobs table name."
  type        = string
}

variable "table_arn" {
  description = "Jobs table ARN."
  type        = string
}

variable "platforms_json" {
  description = "RUNFLEET_PLATFORMS: the platforms in routing order, as PlatformCatalog.fromJson reads them."
  type        = string
}

variable "webhook_secret_parameter" {
  description = "Name of the SSM SecureString holding the webhook secret."
  type        = string
}

variable "previous_webhook_secret_parameter" {
  description = "Name of the SecureString holding the secret being rotated out; null outside a rotation."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the secrets; null for the AWS-managed key."
  type        = string
  default     = null
}

variable "max_body_bytes" {
  description = "Largest webhook body accepted."
  type        = number
}

variable "max_event_age_seconds" {
  description = "RUNFLEET_MAX_EVENT_AGE_SECONDS: a queued event whose job was created longer ago is refused as stale."
  type        = number
  default     = 86400
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and the most allowed to) the producer."
  type        = number
  default     = 50
}

variable "client_error_alarm_percent" {
  description = "Share of 4xx answers (over at least 10 requests in 5 minutes) that raises the webhook's 4xx alarm."
  type        = number
  default     = 10
}

variable "alarm_actions" {
  description = "SNS topics notified by the webhook's alarms."
  type        = list(string)
  default     = []
}

variable "timeout_seconds" {
  description = "Function and integration timeout; GitHub waits 10 s."
  type        = number
}

variable "throttling_rate_limit" {
  description = "Steady requests per second API Gateway lets through."
  type        = number
}

variable "throttling_burst_limit" {
  description = "Burst API Gateway lets through."
  type        = number
}

variable "stage" {
  description = "RUNFLEET_STAGE: the stage, whose allow-list /runfleet/<stage>/allow the producer reads."
  type        = string
}

variable "parameter_cache_seconds" {
  description = "RUNFLEET_PARAMETER_CACHE_SECONDS: how long the allow-list is cached."
  type        = number
}

variable "allow_parameter_arn" {
  description = "ARN of the allow-list parameter (which may not exist yet)."
  type        = string
}

variable "hook_ranges" {
  description = <<-EOT
    The optional source check of GitHub's hook ranges. enabled: the producer refuses (403) callers outside the
    ranges held in the SSM String parameter `parameter` (comma-separated CIDR blocks), and a refresher function
    copies GitHub's meta API `hooks` list into it on `refresh_schedule` and once at apply. Disabled: no resources.
  EOT
  type = object({
    enabled          = bool
    refresh_schedule = string
    parameter        = string
  })
  default = { enabled = false, refresh_schedule = "rate(1 hour)", parameter = "" }
}

variable "github_api_url" {
  description = "GitHub's REST API the refresher reads /meta from (https://HOST/api/v3 for GitHub Enterprise Server)."
  type        = string
  default     = "https://api.github.com"
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
