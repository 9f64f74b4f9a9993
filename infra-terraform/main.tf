# runfleet: webhook -> producer -> jobs table -> stream -> publisher -> SNS -> per-platform SQS -> orchestrators.
# Each stage is a submodule; this file only wires their inputs and outputs together.

data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_caller_identity" "current" {
  # Checks that span several variables (a validation block may only look at its own variable before 1.9).
  lifecycle {
    precondition {
      condition     = length(local.unknown_runner_classes) == 0
      error_message = "Fargate platforms name a runner_class that runner_classes does not define: ${join(", ", local.unknown_runner_classes)}."
    }
    precondition {
      condition     = alltrue([for p in values(local.ec2_platforms) : contains(keys(var.runners.ec2_ami), p.arch)])
      error_message = "runners.ec2_ami needs an image for the arch of every EC2 platform."
    }
  }
}

locals {
  name       = "runfleet-${var.stage}"
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
  tags       = merge(var.tags, { "runfleet:stage" = var.stage })

  # The same files the Java local runtime routes with (dev.runfleet.local.aws.FilterPolicies).
  filter_policies_dir = "${path.module}/../common/src/main/resources/filter-policies"

  jars = {
    producer  = coalesce(var.lambda_artifacts.producer, "${path.module}/../producer/target/runfleet-producer-lambda.jar")
    publisher = coalesce(var.lambda_artifacts.publisher, "${path.module}/../publisher/target/runfleet-publisher-lambda.jar")
    # One orchestrator jar per host kind: the ECS jar carries no EC2 client, the EC2 jar no ECS client.
    orchestrator_ecs = coalesce(var.lambda_artifacts.orchestrator_ecs, "${path.module}/../orchestrators/target/runfleet-orchestrator-ecs-lambda.jar")
    orchestrator_ec2 = coalesce(var.lambda_artifacts.orchestrator_ec2, "${path.module}/../orchestrators/target/runfleet-orchestrator-ec2-lambda.jar")
    # The fleet-wide functions (reconciler, host events) look up tasks and instances: both host clients.
    orchestrator_fleet = coalesce(var.lambda_artifacts.orchestrator_fleet, "${path.module}/../orchestrators/target/runfleet-orchestrator-fleet-lambda.jar")
  }

  platforms     = { for name, p in var.platforms : name => p if p.enabled }
  ecs_platforms = { for name, p in local.platforms : name => p if p.host_kind == "ECS_FARGATE" }
  ec2_platforms = { for name, p in local.platforms : name => p if p.host_kind == "EC2" }

  # Routing order: PlatformCatalog sends a job to the first platform that serves its labels.
  platform_order = [for key in sort([for name, p in local.platforms : format("%06d:%s", p.priority, name)]) : split(":", key)[1]]

  # PlatformCatalog.fromJson's format: exactly the fields it reads.
  platforms_json = jsonencode([for name in local.platform_order : {
    name                = name
    labels              = local.platforms[name].labels
    hostKind            = local.platforms[name].host_kind
    arch                = local.platforms[name].arch
    cap                 = local.platforms[name].cap
    rerunOnInterruption = local.platforms[name].rerun_on_interruption
  }])

  # One handler class per host kind and arch; RUNFLEET_PLATFORM tells it which platform it serves.
  orchestrator_handlers = {
    "ECS_FARGATE/x64"   = "dev.runfleet.orchestrators.FargateOrchestratorHandler"
    "ECS_FARGATE/arm64" = "dev.runfleet.orchestrators.FargateOrchestratorHandler"
    "EC2/x64"           = "dev.runfleet.orchestrators.Ec2LinuxX64OrchestratorHandler"
    "EC2/arm64"         = "dev.runfleet.orchestrators.Ec2LinuxArm64OrchestratorHandler"
  }

  # EC2 platforms are sized by their instance types; runner_class sizes Fargate tasks only.
  unknown_runner_classes = distinct([for p in values(local.ecs_platforms) : p.runner_class if !contains(keys(var.runner_classes), p.runner_class)])

  # Runners fetch their single-use JIT config from here with their own role, once, and delete it. The
  # orchestrators name each secret <prefix>/<platform>/<runner>.
  jit_secret_prefix = "runfleet/${var.stage}/jit"

  runner_security_group_ids = length(var.network.security_group_ids) > 0 ? var.network.security_group_ids : aws_security_group.runners[*].id

  # Where `runfleet setup github-app --stage <stage>` stores the App; github_app's nulls stand for these.
  github_parameter_prefix = "/runfleet-github/${var.stage}"
  github_app = {
    webhook_secret_parameter = coalesce(var.github_app.webhook_secret_parameter, "${local.github_parameter_prefix}/webhook-secret")
    private_key_secret_arn   = coalesce(var.github_app.private_key_secret_arn, "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.github_parameter_prefix}/private-key")
    # Null: the orchestrators read it at cold start from app_id_parameter, which setup writes once the App
    # exists, so the stack can be applied before the App is created (its webhook URL is an output).
    app_id           = var.github_app.app_id
    app_id_parameter = "${local.github_parameter_prefix}/app-id"
  }

  # The allow-list: the producer and the orchestrators may read it whether or not it exists yet (an operator
  # creates it with `runfleet allow set` when var.allow was empty).
  allow_parameter_name = "/runfleet/${var.stage}/allow"
  allow_parameter_arn  = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.allow_parameter_name}"

  # The App id's parameter, when the id is read at run time rather than given: the orchestrators, the
  # reconciler and the host-events function all read it.
  github_app_id_parameter = local.github_app.app_id == null ? {
    name = local.github_app.app_id_parameter
    arn  = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.github_app.app_id_parameter}"
  } : null

  # The operators' grant (output operator_policy_json): they alone write the runtime parameters, everyone may
  # be denied the rest (README, "Who may turn the knobs"). Written as JSON here, not a policy document data
  # source, so tests read the exact statements under the mocked provider too.
  runtime_parameters_arn = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/runfleet/${var.stage}"
  # What `runfleet status|jobs|runners|job` call (output operator_read_policy_json): reads only. Scan serves the
  # listings (no index holds every job or runner) and the slot holders of `status`.
  operator_read_statements = [
    {
      Sid      = "ReadRuntimeParameters"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter", "ssm:GetParameterHistory", "ssm:GetParameters", "ssm:GetParametersByPath"]
      Resource = [local.runtime_parameters_arn, "${local.runtime_parameters_arn}/*"]
    },
    {
      Sid      = "ReadJobsTable"
      Effect   = "Allow"
      Action   = ["dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]
      Resource = [module.jobs_table.arn, "${module.jobs_table.arn}/index/*"]
    },
  ]
  operator_read_policy = {
    Version   = "2012-10-17"
    Statement = local.operator_read_statements
  }
  operator_policy = {
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "TuneRuntimeParameters"
        Effect   = "Allow"
        Action   = ["ssm:DeleteParameter", "ssm:PutParameter"]
        Resource = ["${local.runtime_parameters_arn}/*"]
      },
    ], local.operator_read_statements)
  }

  # Fargate runners run the image built from runner/ unless the caller brings one.
  build_runner_image = var.runners.fargate_image == null && length(local.ecs_platforms) > 0
  fargate_image      = local.build_runner_image ? module.runner_image[0].image : var.runners.fargate_image
  fargate_image_ecr_repository_arn = (
    local.build_runner_image ? module.runner_image[0].repository_arn : var.runners.fargate_image_ecr_repository_arn
  )

  lambda_settings = {
    runtime            = var.lambda.runtime
    architecture       = var.lambda.architecture
    memory_size        = var.lambda.memory_size
    log_retention_days = var.lambda.log_retention_days
    s3_bucket          = local.artifacts_bucket
  }
}

# Runners need outbound HTTPS only (GitHub, AWS APIs); nothing connects to them.
resource "aws_security_group" "runners" {
  count = length(var.network.security_group_ids) == 0 ? 1 : 0

  name_prefix = "${local.name}-runners-"
  description = "runfleet ${var.stage} runners: egress only"
  vpc_id      = var.network.vpc_id
  tags        = merge(local.tags, { Name = "${local.name}-runners" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "runners_all" {
  count = length(var.network.security_group_ids) == 0 ? 1 : 0

  security_group_id = aws_security_group.runners[0].id
  description       = "Runners reach GitHub, registries and AWS APIs"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

module "jobs_table" {
  source = "./modules/jobs_table"

  name                = "${local.name}-jobs"
  deletion_protection = var.table.deletion_protection
  tags                = local.tags
}

module "parameters" {
  source = "./modules/parameters"

  stage         = var.stage
  platform_caps = { for name, p in local.platforms : name => p.cap }
  global_cap    = var.flow.global_cap
  launch_rate   = var.flow.launch_burst == null ? tostring(var.flow.launch_rate) : "${var.flow.launch_rate}/${var.flow.launch_burst}"
  paused        = var.flow.paused
  allow         = var.allow
  tags          = local.tags
}

module "queues" {
  source = "./modules/queues"

  name                    = local.name
  platforms               = keys(local.platforms)
  filter_policies_dir     = local.filter_policies_dir
  visibility_timeout      = 6 * var.orchestrators.timeout_seconds
  max_receive_count       = var.orchestrators.max_receive_count
  queue_age_alarm_seconds = var.observability.queue_age_alarm_seconds
  alarm_actions           = var.observability.alarm_actions
  tags                    = local.tags
}

module "webhook" {
  source = "./modules/webhook"

  name                              = local.name
  jar                               = local.jars.producer
  lambda                            = local.lambda_settings
  table_name                        = module.jobs_table.name
  table_arn                         = module.jobs_table.arn
  platforms_json                    = local.platforms_json
  webhook_secret_parameter          = local.github_app.webhook_secret_parameter
  previous_webhook_secret_parameter = var.github_app.previous_webhook_secret_parameter
  kms_key_arn                       = var.github_app.kms_key_arn
  max_body_bytes                    = var.webhook.max_body_bytes
  timeout_seconds                   = var.webhook.timeout_seconds
  throttling_rate_limit             = var.webhook.throttling_rate_limit
  throttling_burst_limit            = var.webhook.throttling_burst_limit
  reserved_concurrency              = var.webhook.reserved_concurrency
  max_event_age_seconds             = var.webhook.max_event_age_seconds
  client_error_alarm_percent        = var.webhook.client_error_alarm_percent
  alarm_actions                     = var.observability.alarm_actions
  stage                             = var.stage
  parameter_cache_seconds           = var.flow.parameter_cache_seconds
  allow_parameter_arn               = local.allow_parameter_arn
  region                            = local.region
  account_id                        = local.account_id
  partition                         = local.partition
  tags                              = local.tags
  github_api_url                    = var.github_app.api_url
  hook_ranges = {
    enabled          = var.webhook.github_hook_ranges.enabled
    refresh_schedule = var.webhook.github_hook_ranges.refresh_schedule
    parameter        = "${local.github_parameter_prefix}/hook-ranges"
  }
}

module "publisher" {
  source = "./modules/publisher"

  name                    = local.name
  stage                   = var.stage
  parameter_cache_seconds = var.flow.parameter_cache_seconds
  jar                     = local.jars.publisher
  lambda                  = local.lambda_settings
  table_name              = module.jobs_table.name
  table_arn               = module.jobs_table.arn
  stream_arn              = module.jobs_table.stream_arn
  topic_arn               = module.queues.topic_arn
  platforms_json          = local.platforms_json
  global_cap              = var.flow.global_cap
  max_cap_per_platform    = var.flow.max_cap_per_platform
  max_launch_rate         = var.flow.max_launch_rate
  max_launch_attempts     = var.flow.max_launch_attempts
  parameters_path_arn     = module.parameters.path_arn
  runner_idle_seconds     = var.publisher.runner_idle_seconds
  batch_size              = var.publisher.batch_size
  batching_window_seconds = var.publisher.batching_window_seconds
  maximum_retry_attempts  = var.publisher.maximum_retry_attempts
  maximum_record_age      = var.publisher.maximum_record_age
  parallelization_factor  = var.publisher.parallelization_factor
  timeout_seconds         = var.publisher.timeout_seconds
  sweep_schedule          = var.publisher.sweep_schedule
  alarm_actions           = var.observability.alarm_actions
  tags                    = local.tags
}

module "runner_image" {
  source = "./modules/runner_image"
  count  = local.build_runner_image ? 1 : 0

  name                  = local.name
  runner_dir            = "${path.module}/../runner"
  base_image_digest     = var.runner_image.base_image_digest
  keep_builds           = var.runner_image.keep_builds
  build_timeout_minutes = var.runner_image.build_timeout_minutes
  build_on_apply        = var.runner_image.build_on_apply
  log_retention_days    = var.runner_image.log_retention_days
  region                = local.region
  account_id            = local.account_id
  partition             = local.partition
  tags                  = local.tags
}

# The hand-over secrets' key: created here unless github_app.kms_key_arn names one. Its policy lets only the
# orchestrators and the runner roles use it, through Secrets Manager.
module "jit_key" {
  source = "./modules/jit_key"

  name                   = local.name
  create                 = var.github_app.kms_key_arn == null
  given_key_arn          = var.github_app.kms_key_arn
  orchestrator_role_arns = values(module.orchestrators.role_arns)
  runner_role_arns       = concat(values(module.runners_ecs.runner_role_arns), values(module.runners_ec2.runner_role_arns))
  region                 = local.region
  account_id             = local.account_id
  partition              = local.partition
  tags                   = local.tags
}

module "runners_ecs" {
  source = "./modules/runners_ecs"

  name               = local.name
  platforms          = local.ecs_platforms
  runner_classes     = var.runner_classes
  image              = local.fargate_image
  ecr_repository_arn = local.fargate_image_ecr_repository_arn
  jit_secret_prefix  = local.jit_secret_prefix
  kms_key_arn        = module.jit_key.key_arn
  log_retention_days = var.runners.log_retention_days
  region             = local.region
  account_id         = local.account_id
  partition          = local.partition
  tags               = local.tags
}

module "runners_ec2" {
  source = "./modules/runners_ec2"

  name               = local.name
  stage              = var.stage
  platforms          = local.ec2_platforms
  amis               = var.runners.ec2_ami
  boot_script        = coalesce(var.runners.ec2_boot_script, "${path.module}/modules/runners_ec2/templates/boot.sh.tftpl")
  root_volume_gb     = var.runners.root_volume_gb
  security_group_ids = local.runner_security_group_ids
  assign_public_ip   = var.network.assign_public_ip
  jit_secret_prefix  = local.jit_secret_prefix
  kms_key_arn        = module.jit_key.key_arn
  log_retention_days = var.runners.log_retention_days
  region             = local.region
  account_id         = local.account_id
  partition          = local.partition
  tags               = local.tags
}

module "orchestrators" {
  source = "./modules/orchestrators"

  name   = local.name
  jars   = { ECS_FARGATE = local.jars.orchestrator_ecs, EC2 = local.jars.orchestrator_ec2 }
  lambda = local.lambda_settings
  platforms = { for name, p in local.platforms : name => {
    handler        = local.orchestrator_handlers["${p.host_kind}/${p.arch}"]
    host_kind      = p.host_kind
    queue_arn      = module.queues.queues[name].arn
    spot_mode      = p.spot_mode
    instance_types = p.instance_types
  } }
  platforms_json          = local.platforms_json
  table_name              = module.jobs_table.name
  table_arn               = module.jobs_table.arn
  batch_size              = var.orchestrators.batch_size
  maximum_concurrency     = var.orchestrators.maximum_concurrency
  timeout_seconds         = var.orchestrators.timeout_seconds
  launch_lease_seconds    = var.orchestrators.launch_lease_seconds
  github_app_id           = local.github_app.app_id
  github_app_id_parameter = local.github_app_id_parameter
  github_api_url          = var.github_app.api_url
  github_runner_group_id  = var.github_app.runner_group_id
  private_key_secret_arn  = local.github_app.private_key_secret_arn
  kms_key_arn             = var.github_app.kms_key_arn
  jit_kms_key_arn         = module.jit_key.key_arn
  runner_role_ids         = merge(module.runners_ecs.runner_role_ids, module.runners_ec2.runner_role_ids)
  jit_secret_prefix       = local.jit_secret_prefix
  allow_parameter_arn     = local.allow_parameter_arn
  parameter_cache_seconds = var.flow.parameter_cache_seconds
  network = {
    subnet_ids         = var.network.subnet_ids
    security_group_ids = local.runner_security_group_ids
    assign_public_ip   = var.network.assign_public_ip
  }
  ecs = {
    cluster_arn              = module.runners_ecs.cluster_arn
    task_definition_families = module.runners_ecs.task_definition_families
    task_definition_arns     = module.runners_ecs.task_definition_family_arns
    pass_role_arns           = module.runners_ecs.pass_role_arns
  }
  ec2 = {
    launch_template_ids  = module.runners_ec2.launch_template_ids
    launch_template_arns = module.runners_ec2.launch_template_arns
    pass_role_arns       = module.runners_ec2.instance_role_arns
  }
  stage      = var.stage
  region     = local.region
  account_id = local.account_id
  partition  = local.partition
  tags       = local.tags
}

module "host_events" {
  source = "./modules/host_events"

  name                    = local.name
  jar                     = local.jars.orchestrator_fleet
  lambda                  = local.lambda_settings
  platforms_json          = local.platforms_json
  table_name              = module.jobs_table.name
  table_arn               = module.jobs_table.arn
  ecs_cluster_arn         = module.runners_ecs.cluster_arn
  watch_tasks             = length(local.ecs_platforms) > 0
  watch_spot_instances    = anytrue([for p in values(local.ec2_platforms) : p.spot_mode != "onDemandOnly"])
  github_app_id           = local.github_app.app_id
  github_app_id_parameter = local.github_app_id_parameter
  github_api_url          = var.github_app.api_url
  private_key_secret_arn  = local.github_app.private_key_secret_arn
  kms_key_arn             = var.github_app.kms_key_arn
  jit_secret_prefix       = local.jit_secret_prefix
  alarm_actions           = var.observability.alarm_actions
  stage                   = var.stage
  region                  = local.region
  account_id              = local.account_id
  partition               = local.partition
  tags                    = local.tags
}

# EC2 launches spot instances for CreateFleet through this role; an account holds it once, so it is opt-in.
resource "aws_iam_service_linked_role" "spot" {
  count = var.create_spot_service_linked_role ? 1 : 0

  aws_service_name = "spot.amazonaws.com"
  description      = "EC2 Spot launches spot instances for runfleet's CreateFleet requests"
}

# The reconciler runs the orchestrators' fleet-wide jar: their GitHub App client and both host clients.
module "reconciler" {
  source = "./modules/reconciler"

  name                    = local.name
  stage                   = var.stage
  jar                     = local.jars.orchestrator_fleet
  lambda                  = local.lambda_settings
  schedule                = var.reconciler.schedule
  timeout_seconds         = var.reconciler.timeout_seconds
  settings                = var.reconciler.settings
  max_launch_attempts     = var.flow.max_launch_attempts
  platforms_json          = local.platforms_json
  table_name              = module.jobs_table.name
  table_arn               = module.jobs_table.arn
  topic_arn               = module.queues.topic_arn
  parameters_path_arn     = module.parameters.path_arn
  parameter_cache_seconds = var.flow.parameter_cache_seconds
  github_app_id           = local.github_app.app_id
  github_app_id_parameter = local.github_app_id_parameter
  github_api_url          = var.github_app.api_url
  private_key_secret_arn  = local.github_app.private_key_secret_arn
  kms_key_arn             = var.github_app.kms_key_arn
  ecs_cluster_arn         = module.runners_ecs.cluster_arn
  jit_secret_prefix       = local.jit_secret_prefix
  partition               = local.partition
  account_id              = local.account_id
  alarm_actions           = var.observability.alarm_actions
  region                  = local.region
  tags                    = local.tags
}

module "observability" {
  source = "./modules/observability"

  name   = local.name
  region = local.region
  function_names = merge(
    { producer = module.webhook.function_name },
    module.publisher.function_names,
    { reconciler = module.reconciler.function_name },
    { for platform, fn in module.orchestrators.function_names : "orchestrator-${platform}" => fn },
    { host-events = module.host_events.function_name },
  )
  api_id               = module.webhook.api_id
  stream_function_name = module.publisher.function_names.publisher
  queue_names          = { for platform, q in module.queues.queues : platform => q.name }
  dlq_names            = { for platform, q in module.queues.queues : platform => q.dlq_name }
  platforms            = local.platform_order
  alarm_actions        = var.observability.alarm_actions
  parameters_path      = module.parameters.path
  dashboard            = var.observability.dashboard
  tags                 = local.tags
}
