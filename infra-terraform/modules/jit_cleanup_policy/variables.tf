variable "secret_arn_prefix" {
  description = "ARN prefix of the hand-over secrets: arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>."
  type        = string
}
