output "json" {
  description = "The policy document: statements TakeJitConfigOnce and DecryptJitConfig."
  value       = data.aws_iam_policy_document.take.json
}
