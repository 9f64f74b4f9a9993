variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "stage" {
  description = "RUNFLEET_STAGE: the call budgets are /runfleet/<stage>/reconcile/github-calls and aws-calls."
  type        = string
}

variable "jar" {
  description = "Path of the orchestrators' shaded jar (the reconciler lives in that module)."
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

variable "schedule" {
  description = "EventBridge schedule of a pass."
  type        = string
  default     = "rate(1 minute)"

  validation {
    condition     = can(regex("^(rate\\([0-9]+ (minute|minutes|hour|hours)\\)|cron\\(.+\\))$", var.schedule))
    error_message = "schedule must be an EventBridge rate(...) or cron(...) expression."
  }
}

variable "timeout_seconds" {
  description = "Function timeout; a pass's calls are bounded by the budgets, so a minute is plenty."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout_seconds >= 10 && var.timeout_seconds <= 300
    error_message = "timeout_seconds must be from 10 to 300."
  }
}

variable "settings" {
  description = "RUNFLEET_JOB_STUCK_SECONDS and the deadlines (ReconcilerConfig): when a job is looked up at GitHub, when a spin-up is sent again, the boot deadlines per host kind, the maximum lifetime of a runner and a busy runner's grace past it; and lost-webhook redelivery: how far back the first scan of the App's delivery log reads, and how many redeliveries a pass asks for (0 turns it off)."
  type = object({
    job_stuck_seconds             = optional(number, 120)
    spin_up_deadline_seconds      = optional(number, 120)
    boot_deadline_ec2_seconds     = optional(number, 300)
    boot_deadline_fargate_seconds = optional(number, 180)
    max_runner_seconds            = optional(number, 21600)
    busy_grace_seconds            = optional(number, 1800)
    redelivery_lookback_seconds   = optional(number, 3600)
    redeliveries_per_pass         = optional(number, 10)
  })
  default = {}

  validation {
    condition = alltrue([for k, v in var.settings : floor(v) == v && v >= (k == "redeliveries_per_pass" ? 0 : 1) && v <= lookup({
      max_runner_seconds = 604800, redelivery_lookback_seconds = 259200, redeliveries_per_pass = 100
    }, k, 86400)])
    error_message = "every reconciler setting is a whole number: seconds from 1 to 86400 (max_runner_seconds to 604800, redelivery_lookback_seconds to 259200, GitHub's 3-day redelivery window); redeliveries_per_pass from 0 to 100."
  }
}

variable "max_launch_attempts" {
  description = "RUNFLEET_MAX_LAUNCH_ATTEMPTS, the publisher's: a job dispatched this often that never started is given up."
  type        = number
}

variable "platforms_json" {
  description = "RUNFLEET_PLATFORMS, as PlatformCatalog.fromJson reads it."
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

variable "topic_arn" {
  description = "RUNFLEET_TOPIC_ARN: the runner-commands topic."
  type        = string
}

variable "parameters_path_arn" {
  description = "ARN of the stage's parameters, ending in /* (arn:...:parameter/runfleet/<stage>/*)."
  type        = string
}

variable "parameter_cache_seconds" {
  description = "RUNFLEET_PARAMETER_CACHE_SECONDS: how long a call budget read is reused."
  type        = number
}

variable "github_app_id" {
  description = "RUNFLEET_GITHUB_APP_ID: the GitHub App's id; null when github_app_id_parameter names where to read it."
  type        = number
  default     = null
}

variable "github_app_id_parameter" {
  description = "RUNFLEET_GITHUB_APP_ID_PARAMETER: the SSM String parameter (name and ARN) holding the App id; null when github_app_id is given."
  type = object({
    name = string
    arn  = string
  })
  default = null
}

variable "github_api_url" {
  description = "RUNFLEET_GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server."
  type        = string
}

variable "private_key_secret_arn" {
  description = "Secrets Manager secret or SSM parameter holding the GitHub App's private key."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key of the App's secrets; null for the AWS-managed keys."
  type        = string
  default     = null
}

variable "ecs_cluster_arn" {
  description = "RUNFLEET_ECS_CLUSTER: the Fargate runners' cluster; null when no platform runs on Fargate."
  type        = string
  default     = null
}

variable "region" {
  description = "The region (for the KMS ViaService condition)."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
