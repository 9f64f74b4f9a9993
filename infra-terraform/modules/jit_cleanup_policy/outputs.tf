output "json" {
  description = "The policy document: statements DeleteEndedRunnersSecrets and FindEndedRunnersSecrets."
  value       = data.aws_iam_policy_document.cleanup.json
}
