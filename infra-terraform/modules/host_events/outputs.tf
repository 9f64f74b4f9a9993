output "function_name" {
  description = "The host-events function."
  value       = module.function.function_name
}

output "dlq_name" {
  description = "Where host events that could not be delivered or recorded go."
  value       = aws_sqs_queue.dlq.name
}

output "rule_names" {
  description = "The EventBridge rules feeding the function."
  value       = { for k, r in aws_cloudwatch_event_rule.host_ends : k => r.name }
}
