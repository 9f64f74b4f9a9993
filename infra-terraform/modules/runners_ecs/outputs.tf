output "cluster_arn" {
  description = "The runner cluster; null when no platform runs on ECS."
  value       = one(aws_ecs_cluster.runners[*].arn)
}

output "task_definitions" {
  description = "Per <platform>-<class>: family, latest revision ARN, platform, class, cpu and memory."
  value       = { for key, td in aws_ecs_task_definition.runner : key => {
    family   = td.family
    arn      = td.arn
    platform = local.task_definitions[key].platform
    class    = local.task_definitions[key].class
    cpu      = local.task_definitions[key].cpu
    memory   = local.task_definitions[key].memory
  } }
}

output "task_definition_family_arns" {
  description = "Per platform: ARNs matching every revision of its task definitions (for RunTask grants)."
  value       = { for platform in keys(var.platforms) : platform => [
    for key, td in aws_ecs_task_definition.runner : "${td.arn_without_revision}:*" if local.task_definitions[key].platform == platform
  ] }
}

output "pass_role_arns" {
  description = "Per platform: the roles RunTask passes (the platform's task role and the execution role)."
  value       = { for platform in keys(var.platforms) : platform => [
    aws_iam_role.task[platform].arn,
    aws_iam_role.execution[0].arn,
  ] }
}

output "log_group_name" {
  description = "Runner log group; null when no platform runs on ECS."
  value       = one(aws_cloudwatch_log_group.runners[*].name)
}
