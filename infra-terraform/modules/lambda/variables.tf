variable "name" {
  description = "Function name; also the role name and the log group /aws/lambda/<name>."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.name))
    error_message = "name must be 1 to 64 characters of letters, digits, '-' and '_'."
  }
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "handler" {
  description = "Class::handleRequest."
  type        = string

  validation {
    condition     = can(regex("^dev\\.runfleet\\.[a-z0-9.]+\\.[A-Z][A-Za-z0-9]*::handleRequest$", var.handler))
    error_message = "handler must be a runfleet class followed by ::handleRequest."
  }
}

variable "jar" {
  description = "Path of the shaded jar."
  type        = string
}

variable "runtime" {
  description = "java17 or java21."
  type        = string
}

variable "architecture" {
  description = "x86_64 or arm64."
  type        = string
}

variable "memory_size" {
  description = "MB of memory (and so of CPU)."
  type        = number
}

variable "timeout_seconds" {
  description = "Function timeout."
  type        = number
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; null for none."
  type        = number
  default     = null
}

variable "environment" {
  description = "Environment variables: the configuration keys the function's config record reads."
  type        = map(string)
}

variable "policy_json" {
  description = "The function's own IAM policy (an aws_iam_policy_document's json), besides writing its logs."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
}

variable "s3_bucket" {
  description = "Bucket the jar is uploaded to and Lambda reads it from (never a direct upload, whose limit is 50 MB)."
  type        = string

  validation {
    condition     = var.s3_bucket != null && length(coalesce(var.s3_bucket, "")) > 0
    error_message = "s3_bucket is required: every function's jar goes up through S3."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
}
