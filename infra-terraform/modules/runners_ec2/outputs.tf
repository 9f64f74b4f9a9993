output "launch_templates" {
  description = "Per platform: launch template id, ARN and name."
  value = { for platform, lt in aws_launch_template.runner : platform => {
    id   = lt.id
    arn  = lt.arn
    name = lt.name
  } }
}

output "launch_template_ids" {
  description = "Per platform: the launch template id (RUNFLEET_EC2_LAUNCH_TEMPLATE)."
  value       = { for platform, lt in aws_launch_template.runner : platform => lt.id }
}

output "launch_template_arns" {
  description = "Per platform: the launch template ARN."
  value       = { for platform, lt in aws_launch_template.runner : platform => lt.arn }
}

output "instance_role_arns" {
  description = "Per platform: the runner instance role (passed at launch)."
  value       = { for platform, role in aws_iam_role.runner : platform => [role.arn] }
}

output "log_group_name" {
  description = "Runner log group; null when no platform runs on EC2."
  value       = one(aws_cloudwatch_log_group.runners[*].name)
}

output "runner_role_ids" {
  description = "Per platform: the instance role's unique id (AROA...), the first half of every instance's aws:userid (RUNFLEET_RUNNER_ROLE_ID)."
  value       = { for platform, role in aws_iam_role.runner : platform => role.unique_id }
}

output "runner_role_arns" {
  description = "Per platform: the instance role's ARN (the JIT key's policy lets it decrypt)."
  value       = { for platform, role in aws_iam_role.runner : platform => role.arn }
}
