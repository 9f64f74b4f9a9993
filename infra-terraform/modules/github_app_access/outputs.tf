output "json" {
  description = "The policy document: statements ReadAppKeySecret or ReadAppKeyParameter, and ReadAppIdParameter and DecryptAppKey when they apply."
  value       = data.aws_iam_policy_document.read.json
}
