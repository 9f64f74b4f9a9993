output "function_name" {
  description = "The function's name."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "The function's ARN."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN for API Gateway integrations."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "The function's role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "The function's role ARN."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "alias_name" {
  description = "The alias callers invoke (live): SnapStart resumes published versions only."
  value       = aws_lambda_alias.live.name
}

output "alias_arn" {
  description = "ARN of the live alias, for event source mappings."
  value       = aws_lambda_alias.live.arn
}

output "alias_invoke_arn" {
  description = "Invoke ARN of the live alias, for API Gateway integrations."
  value       = aws_lambda_alias.live.invoke_arn
}

output "s3_key" {
  description = "Where the function's jar lies in the artifacts bucket: runfleet/<name>/<md5 of the jar>.jar."
  value       = aws_s3_object.jar.key
}
