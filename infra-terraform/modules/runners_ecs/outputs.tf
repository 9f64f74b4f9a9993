output "cluster_arn" {
  description = "The runner cluster; null when no platform runs on ECS."
  value       = one(aws_ecs_cluster.runners[*].arn)
}

output "task_definitions" {
  description = "Per platform: family (what RunTask names), latest revision ARN, runner class, cpu, memory and image."
  value = { for platform, td in aws_ecs_task_definition.runner : platform => {
    family       = td.family
    arn          = td.arn
    runner_class = var.platforms[platform].runner_class
    cpu          = var.runner_classes[var.platforms[platform].runner_class].cpu
    memory       = var.runner_classes[var.platforms[platform].runner_class].memory
    image        = jsondecode(td.container_definitions)[0].image
  } }
}

output "task_definition_families" {
  description = "Per platform: the task definition family (RUNFLEET_ECS_TASK_DEFINITION)."
  value       = { for platform, td in aws_ecs_task_definition.runner : platform => td.family }
}

output "task_definition_family_arns" {
  description = "Per platform: an ARN matching every revision of its task definition (for RunTask grants)."
  value       = { for platform, td in aws_ecs_task_definition.runner : platform => ["${td.arn_without_revision}:*"] }
}

output "pass_role_arns" {
  description = "Per platform: the roles RunTask passes (the platform's task role and the execution role)."
  value = { for platform in keys(var.platforms) : platform => [
    aws_iam_role.task[platform].arn,
    aws_iam_role.execution[0].arn,
  ] }
}

output "log_group_name" {
  description = "Runner log group; null when no platform runs on ECS."
  value       = one(aws_cloudwatch_log_group.runners[*].name)
}

output "runner_role_ids" {
  description = "Per platform: the task role's unique id (AROA...), the first half of every task's aws:userid (RUNFLEET_RUNNER_ROLE_ID)."
  value       = { for platform, role in aws_iam_role.task : platform => role.unique_id }
}

output "runner_role_arns" {
  description = "Per platform: the task role's ARN (the JIT key's policy lets it decrypt)."
  value       = { for platform, role in aws_iam_role.task : platform => role.arn }
}
