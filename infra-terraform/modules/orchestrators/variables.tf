variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "stage" {
  description = "Stage: runner instances carry it as the runfleet:stage tag."
  type        = string
}

variable "jars" {
  description = "Path of the orchestrator jar of each host kind (ECS_FARGATE, EC2): each function gets its own kind's."
  type        = map(string)

  validation {
    condition     = alltrue([for k in keys(var.jars) : contains(["ECS_FARGATE", "EC2"], k)])
    error_message = "jars is keyed by host kind: ECS_FARGATE and EC2."
  }
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

variable "platforms" {
  description = "Per enabled platform: the handler class, the host kind, the command queue's ARN, the spot mode and (EC2) the instance types."
  type = map(object({
    handler        = string
    host_kind      = string
    queue_arn      = string
    spot_mode      = string
    instance_types = list(string)
  }))
}

variable "platforms_json" {
  description = "RUNFLEET_PLATFORMS, as PlatformCatalog.fromJson reads it."
  type        = string
}

variable "table_name" {
  description = "Jobs table name."
  type        = string
}

variable "table_arn" {
  description = "Jobs table ARN."
  type        = string
}

variable "batch_size" {
  description = "Commands per invocation."
  type        = number
}

variable "maximum_concurrency" {
  description = "Concurrent invocations per platform."
  type        = number
}

variable "timeout_seconds" {
  description = "Function timeout."
  type        = number
}

variable "launch_lease_seconds" {
  description = "RUNFLEET_LAUNCH_LEASE_SECONDS: how long a launch claim holds."
  type        = number
}

variable "github_app_id" {
  description = "RUNFLEET_GITHUB_APP_ID: the GitHub App's id; null when github_app_id_parameter names where to read it."
  type        = number
  default     = null
}

variable "github_app_id_parameter" {
  description = "RUNFLEET_GITHUB_APP_ID_PARAMETER: the SSM String parameter (name and ARN) the orchestrators read the App id from at cold start; null when github_app_id is given."
  type = object({
    name = string
    arn  = string
  })
  default = null

  validation {
    condition     = var.github_app_id_parameter == null || can(regex("^arn:[^:]+:ssm:[^:]+:[0-9]{12}:parameter/", var.github_app_id_parameter.arn))
    error_message = "github_app_id_parameter.arn must be an SSM parameter ARN."
  }
}

variable "github_api_url" {
  description = "RUNFLEET_GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server."
  type        = string
}

variable "github_runner_group_id" {
  description = "RUNFLEET_GITHUB_RUNNER_GROUP_ID: the runner group JIT runners join."
  type        = number
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

variable "jit_kms_key_arn" {
  description = "RUNFLEET_JIT_KMS_KEY_ID: the customer-managed KMS key the hand-over secrets are encrypted with."
  type        = string
}

variable "runner_role_ids" {
  description = "RUNFLEET_RUNNER_ROLE_ID per platform: the unique id (AROA...) of the platform's runner role."
  # Known only after apply; the orchestrator checks the AROA... form at cold start (AwsHostConfig).
  type = map(string)
}

variable "jit_secret_prefix" {
  description = "RUNFLEET_JIT_SECRET_PREFIX: Secrets Manager name prefix under which JIT configs are handed to runners (<prefix>/<platform>/<runner>/<random>)."
  type        = string
}

variable "allow_parameter_arn" {
  description = "ARN of the allow-list parameter /runfleet/<stage>/allow (which may not exist yet)."
  type        = string
}

variable "parameter_cache_seconds" {
  description = "RUNFLEET_PARAMETER_CACHE_SECONDS: how long the allow-list is cached."
  type        = number
}

variable "network" {
  description = "Where runners start: subnets (RUNFLEET_SUBNETS), security groups and whether Fargate tasks get a public IP."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
    assign_public_ip   = bool
  })
}

variable "ecs" {
  description = "The Fargate runner hosts: cluster, per platform the task definition family, ARNs matching its revisions and the roles RunTask passes."
  type = object({
    cluster_arn              = string
    task_definition_families = map(string)
    task_definition_arns     = map(list(string))
    pass_role_arns           = map(list(string))
  })
}

variable "ec2" {
  description = "The EC2 runner hosts: per platform the launch template's id and ARN and the instance role passed at launch."
  type = object({
    launch_template_ids  = map(string)
    launch_template_arns = map(string)
    pass_role_arns       = map(list(string))
  })
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
