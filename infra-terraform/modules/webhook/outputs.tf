output "url" {
  description = "The webhook URL to enter in the GitHub App."
  value       = "${trimsuffix(aws_apigatewayv2_stage.default.invoke_url, "/")}/webhook"
}

output "api_id" {
  description = "The HTTP API's id."
  value       = aws_apigatewayv2_api.webhook.id
}

output "function_name" {
  description = "The producer function's name."
  value       = module.producer.function_name
}

output "environment" {
  description = "The producer's environment (parameter names, never a secret): what the root's tests read."
  value       = local.environment
}
