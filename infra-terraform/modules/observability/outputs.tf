output "dashboard_name" {
  description = "The CloudWatch dashboard; null when disabled."
  value       = one(aws_cloudwatch_dashboard.fleet[*].dashboard_name)
}
