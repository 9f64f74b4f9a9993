output "webhook_url" {
  description = "Enter this as the GitHub App's webhook URL."
  value       = module.webhook.url
}

output "table_name" {
  description = "The jobs table (RUNFLEET_TABLE)."
  value       = module.jobs_table.name
}

output "topic_arn" {
  description = "The runner-commands SNS topic (RUNFLEET_TOPIC_ARN)."
  value       = module.queues.topic_arn
}

output "queue_urls" {
  description = "Per platform: the command queue's URL."
  value       = { for platform, q in module.queues.queues : platform => q.url }
}

output "dead_letter_queue_urls" {
  description = "Per platform: the dead-letter queue's URL (inspect and redrive failed commands here)."
  value       = { for platform, q in module.queues.queues : platform => q.dlq_url }
}

output "stream_failures_queue_url" {
  description = "Where stream batches the publisher gave up on go."
  value       = module.publisher.stream_failures_queue_url
}

output "function_names" {
  description = "Every function's name, by role."
  value = merge(
    { producer = module.webhook.function_name },
    module.publisher.function_names,
    { for platform, fn in module.orchestrators.function_names : "orchestrator-${platform}" => fn },
  )
}

output "operator_policy_json" {
  description = "An IAM policy for the fleet's operators: write (put, delete) only the runtime parameters under /runfleet/<stage>/, read them and the jobs table. Attach it to the operators' role; deny ssm:PutParameter on these names to every other principal (README, \"Who may turn the knobs\")."
  value       = jsonencode(local.operator_policy)
}

output "operator_read_policy_json" {
  description = "An IAM policy for who only reads the fleet (runfleet status, jobs, runners, job): the runtime parameters under /runfleet/<stage>/ and the jobs table with its indexes, no write of any kind."
  value       = jsonencode(local.operator_read_policy)
}

output "parameter_names" {
  description = "The runtime parameters an operator tunes (caps per platform, global cap, launch rate, pause, and the allow-list, which exists only once it holds a value)."
  value       = module.parameters.names
}

output "platforms_json" {
  description = "RUNFLEET_PLATFORMS as the functions receive it (routing order)."
  value       = local.platforms_json
}

output "runner_hosts" {
  description = "What the orchestrators start runners with (they get it as RUNFLEET_* keys): ECS cluster and task definition per Fargate platform, EC2 launch templates, subnets, security groups, and the Secrets Manager prefix of the JIT configs."
  value = {
    ecs_cluster_arn      = module.runners_ecs.cluster_arn
    ecs_task_definitions = module.runners_ecs.task_definitions
    ec2_launch_templates = module.runners_ec2.launch_templates
    subnet_ids           = var.network.subnet_ids
    security_group_ids   = local.runner_security_group_ids
    jit_secret_prefix    = local.jit_secret_prefix
    log_groups           = [for g in [module.runners_ecs.log_group_name, module.runners_ec2.log_group_name] : g if g != null]
    platforms = { for name, p in local.platforms : name => {
      host_kind      = p.host_kind
      arch           = p.arch
      runner_class   = p.runner_class
      spot_mode      = p.spot_mode
      instance_types = p.instance_types
    } }
  }
}

output "dashboard_name" {
  description = "The CloudWatch dashboard."
  value       = module.observability.dashboard_name
}

output "github_app_parameters" {
  description = "Where the GitHub App is read from: app_id (the SSM parameter the orchestrators read at cold start; null when github_app.app_id is given), webhook_secret (SSM parameter name) and private_key (SSM parameter name, or the Secrets Manager ARN given)."
  value = {
    app_id         = var.github_app.app_id == null ? "${local.github_parameter_prefix}/app-id" : null
    webhook_secret = local.github_app.webhook_secret_parameter
    private_key = (
      can(regex(":ssm:", local.github_app.private_key_secret_arn))
      ? "/${split(":parameter/", local.github_app.private_key_secret_arn)[1]}"
      : local.github_app.private_key_secret_arn
    )
  }
}

output "runner_image" {
  description = "The Fargate runner image: image (what the task definitions run), and when the module builds it tag, repository_url, codebuild_project and start_build_command (all null for an own image)."
  value = {
    image               = local.fargate_image
    tag                 = one(module.runner_image[*].tag)
    repository_url      = one(module.runner_image[*].repository_url)
    codebuild_project   = one(module.runner_image[*].project_name)
    start_build_command = one(module.runner_image[*].start_build_command)
  }
}

output "github_app_id" {
  description = "The GitHub App id given in github_app.app_id; null when the orchestrators read it from /runfleet-github/<stage>/app-id."
  value       = local.github_app.app_id
}
