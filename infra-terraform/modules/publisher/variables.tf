variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "stage" {
  description = "RUNFLEET_STAGE: the runtime parameters are read under /runfleet/<stage>/."
  type        = string
}

variable "parameter_cache_seconds" {
  description = "RUNFLEET_PARAMETER_CACHE_SECONDS: how long runtime parameters are cached."
  type        = number
}

variable "jar" {
  description = "Path of the publisher's shaded jar."
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

variable "stream_arn" {
  description = "The jobs table's stream ARN."
  type        = string
}

variable "topic_arn" {
  description = "The runner-commands topic."
  type        = string
}

variable "platforms_json" {
  description = "RUNFLEET_PLATFORMS, as PlatformCatalog.fromJson reads it."
  type        = string
}

variable "global_cap" {
  description = "RUNFLEET_GLOBAL_CAP: runners in flight across all platforms."
  type        = number
}

variable "max_cap_per_platform" {
  description = "RUNFLEET_MAX_CAP_PER_PLATFORM: the publisher clamps any platform's cap from SSM to this."
  type        = number
}

variable "max_launch_rate" {
  description = "RUNFLEET_MAX_LAUNCH_RATE: the publisher clamps the launch rate (and its burst) from SSM to this, per second."
  type        = number
}

variable "max_launch_attempts" {
  description = "RUNFLEET_MAX_LAUNCH_ATTEMPTS: launches tried for one job before it is given up."
  type        = number
}

variable "parameters_path_arn" {
  description = "ARN pattern of the runtime parameters /runfleet/<stage>/*."
  type        = string
}

variable "runner_idle_seconds" {
  description = "RUNFLEET_RUNNER_IDLE_SECONDS: how long a runner without a job waits before the sweep tears it down."
  type        = number
}

variable "batch_size" {
  description = "Stream records per invocation."
  type        = number
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing batch before it goes to the failure queue."
  type        = number
}

variable "maximum_record_age" {
  description = "Age in seconds after which a record is sent to the failure queue unprocessed."
  type        = number
}

variable "parallelization_factor" {
  description = "Concurrent batches per shard; records with the same partition key stay in order."
  type        = number
}

variable "batching_window_seconds" {
  description = "How long the stream mapping gathers records before invoking (0: at once)."
  type        = number
}

variable "timeout_seconds" {
  description = "Function timeout."
  type        = number
}

variable "sweep_schedule" {
  description = "EventBridge schedule of the sweep."
  type        = string
}

variable "alarm_actions" {
  description = "SNS topics notified by the alarms."
  type        = list(string)
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
}
