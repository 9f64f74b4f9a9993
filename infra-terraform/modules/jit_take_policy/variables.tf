variable "secret_arn_prefix" {
  description = "ARN prefix of the hand-over secrets: arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>."
  type        = string
}

variable "platform" {
  description = "The platform whose secrets (<prefix>/<platform>/*) the role takes."
  type        = string
}

variable "kms_key_arn" {
  description = "The JIT key the secrets are encrypted with."
  type        = string
}

variable "region" {
  description = "AWS region (kms:ViaService)."
  type        = string
}
