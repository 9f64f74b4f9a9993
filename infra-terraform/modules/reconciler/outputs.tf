output "function_name" {
  description = "The reconciler's function name."
  value       = module.reconciler.function_name
}

output "schedule_rule" {
  description = "The EventBridge rule that runs a pass."
  value       = aws_cloudwatch_event_rule.reconcile.name
}
