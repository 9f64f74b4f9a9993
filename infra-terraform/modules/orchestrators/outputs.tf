output "function_names" {
  description = "Per platform: the orchestrator function's name."
  value       = { for platform, fn in module.orchestrator : platform => fn.function_name }
}

output "environments" {
  description = "Per platform: the configuration its orchestrator gets (names and ARNs only, nothing secret)."
  value       = local.environment
}
