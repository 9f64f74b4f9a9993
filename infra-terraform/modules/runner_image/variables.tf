variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "runner_dir" {
  description = "The repository's runner/ folder: Dockerfile, buildspec.yml and the scripts the image carries."
  type        = string
}

variable "base_image_digest" {
  description = "Digest (sha256:<64 hex>) of GitHub's runner image index to build from; null builds from the version's tag."
  type        = string
  default     = null
}

variable "keep_builds" {
  description = "Builds whose images the repository keeps (each build pushes three: one per arch and the multi-arch index)."
  type        = number
}

variable "build_timeout_minutes" {
  description = "How long a batch build may take, and how long the apply waits for it."
  type        = number
}

variable "build_on_apply" {
  description = "Start the build from terraform apply when runner/ changed, and wait for it (needs the AWS CLI where terraform runs)."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of the build log group."
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
