output "function_names" {
  description = "Per platform: the orchestrator function's name."
  value       = { for platform, fn in module.orchestrator : platform => fn.function_name }
}

output "environments" {
  description = "Per platform: the configuration its orchestrator gets (names and ARNs only, nothing secret)."
  value       = local.environment
}

output "role_arns" {
  description = "Per platform: the orchestrator function's role ARN (the JIT key's policy lets it encrypt)."
  value       = { for platform, fn in module.orchestrator : platform => "arn:${var.partition}:iam::${var.account_id}:role/${fn.role_name}" }
}
