output "name" {
  description = "Table name (RUNFLEET_TABLE)."
  value       = aws_dynamodb_table.jobs.name
}

output "arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.jobs.arn
}

output "stream_arn" {
  description = "ARN of the table's stream (NEW_AND_OLD_IMAGES)."
  value       = aws_dynamodb_table.jobs.stream_arn
}
