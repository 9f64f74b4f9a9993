output "key_arn" {
  description = "The hand-over secrets' KMS key: the one created here, or the given one."
  value       = var.create ? aws_kms_key.jit[0].arn : var.given_key_arn
}

output "key_policy" {
  description = "The created key's policy (JSON); null for a given key."
  value       = var.create ? data.aws_iam_policy_document.key.json : null
}
