variable "stage" {
  description = "Deployment name (dev, prod, ...). Prefixes every resource name (runfleet-<stage>-...) and the SSM parameter path /runfleet/<stage>/."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,11}$", var.stage))
    error_message = "stage must be 1 to 12 characters of a-z, 0-9 and '-', starting with a letter (it goes into names AWS limits to 64 characters)."
  }
}

variable "platforms" {
  description = <<-EOT
    The platforms runners start on, keyed by platform name (the SNS filter value, the queue suffix and the name
    the Java code routes by; each needs common/src/main/resources/filter-policies/<name>.json). A job goes to the
    first platform, by ascending priority then name, whose labels include all of the job's labels.
    runner_class: the size of every runner of the platform (a key of runner_classes; its Fargate task
    definition's cpu and memory; EC2 platforms are sized by instance_types instead). To offer several sizes,
    define one platform per size with a label such as size-large, and give it a later priority than the
    platform without the size label, so jobs without the label go to the default size.
  EOT
  type = map(object({
    enabled        = optional(bool, true)
    priority       = optional(number, 100)
    labels         = list(string)
    host_kind      = string
    arch           = string
    cap            = optional(number, 10)
    runner_class   = optional(string, "small")
    spot_mode      = optional(string, "spotPreferred")
    instance_types = optional(list(string), [])
    # A job running on a runner whose spot host is interrupted is re-run at GitHub (needs Actions: write).
    rerun_on_interruption = optional(bool, false)
  }))
  default = {
    fargate = {
      priority  = 10
      labels    = ["self-hosted", "linux", "x64", "fargate"]
      host_kind = "ECS_FARGATE"
      arch      = "x64"
    }
    ec2-linux-x64 = {
      priority       = 20
      labels         = ["self-hosted", "linux", "x64", "ec2"]
      host_kind      = "EC2"
      arch           = "x64"
      instance_types = ["m7i.large", "m6i.large", "m5.large"]
    }
    ec2-linux-arm64 = {
      priority       = 30
      labels         = ["self-hosted", "linux", "arm64", "ec2"]
      host_kind      = "EC2"
      arch           = "arm64"
      instance_types = ["m7g.large", "m6g.large"]
    }
  }

  validation {
    condition     = length([for p in values(var.platforms) : p if p.enabled]) > 0
    error_message = "At least one platform must be enabled."
  }
  validation {
    # Stricter than the Java rule (40 characters) so that runfleet-<stage>-orch-<platform> fits Lambda's 64.
    condition     = alltrue([for name in keys(var.platforms) : can(regex("^[a-z0-9][a-z0-9-]{0,31}$", name)) && name != "global"])
    error_message = "Platform names must be 1 to 32 characters of a-z, 0-9 and '-', not starting with '-', and not 'global' (the name of the global cap)."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : contains(["ECS_FARGATE", "EC2"], p.host_kind)])
    error_message = "host_kind must be ECS_FARGATE or EC2 (the Java HostKind names)."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : contains(["x64", "arm64"], p.arch)])
    error_message = "arch must be x64 or arm64."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : length(p.labels) > 0 && alltrue([for l in p.labels : can(regex("^[^\\s,]+$", l))])])
    error_message = "Every platform needs at least one runner label; labels contain no whitespace or commas."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : p.cap >= 0 && p.cap <= 100000 && floor(p.cap) == p.cap])
    error_message = "cap must be a whole number from 0 to 100000."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : p.priority >= 0 && p.priority < 1000000 && floor(p.priority) == p.priority])
    error_message = "priority must be a whole number from 0 to 999999."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : contains(["spotOnly", "spotPreferred", "onDemandOnly"], p.spot_mode)])
    error_message = "spot_mode must be spotOnly, spotPreferred or onDemandOnly."
  }
  validation {
    # That it names a key of runner_classes is checked by a precondition in main.tf (it spans two variables).
    condition     = alltrue([for p in values(var.platforms) : can(regex("^[a-z0-9][a-z0-9-]{0,15}$", p.runner_class))])
    error_message = "runner_class must name a runner class (1 to 16 characters of a-z, 0-9 and '-')."
  }
  validation {
    condition     = alltrue([for p in values(var.platforms) : p.host_kind != "EC2" || length(p.instance_types) > 0])
    error_message = "EC2 platforms need at least one entry in instance_types."
  }
}

variable "runner_classes" {
  description = "Runner sizes platforms are built with (platforms[*].runner_class): cpu in CPU units (1024 = 1 vCPU) and memory in MiB, as Fargate counts them."
  type = map(object({
    cpu    = number
    memory = number
  }))
  default = {
    small  = { cpu = 1024, memory = 2048 }
    medium = { cpu = 2048, memory = 4096 }
    large  = { cpu = 4096, memory = 8192 }
  }

  validation {
    condition     = length(var.runner_classes) > 0 && alltrue([for name in keys(var.runner_classes) : can(regex("^[a-z0-9][a-z0-9-]{0,15}$", name))])
    error_message = "runner_classes needs at least one class; names are 1 to 16 characters of a-z, 0-9 and '-'."
  }
  validation {
    # Fargate's own table: memory from 2x to 8x the vCPU count, in whole GiB above 0.5 vCPU.
    condition = alltrue([for c in values(var.runner_classes) :
      contains([256, 512, 1024, 2048, 4096, 8192, 16384], c.cpu) && c.memory >= c.cpu * 2 && c.memory <= c.cpu * 8 && c.memory % 512 == 0
    ])
    error_message = "cpu must be a Fargate size (256 to 16384) and memory between 2x and 8x cpu, in steps of 512 MiB."
  }
}

variable "github_app" {
  description = <<-EOT
    The GitHub App. Its secrets are created outside Terraform and never pass through Terraform state: the module
    takes names and ARNs only. Every field is optional: `runfleet setup github-app --stage <stage>` stores the App
    at the conventional names under /runfleet-github/<stage>/, which the nulls below stand for.
    webhook_secret_parameter: name of the SSM SecureString holding the webhook secret; null:
    /runfleet-github/<stage>/webhook-secret.
    previous_webhook_secret_parameter: name of the SecureString with the secret being rotated out, accepted
    until it is removed; null outside a rotation.
    private_key_secret_arn: ARN of the Secrets Manager secret or SSM SecureString parameter holding the App's
    private key (PEM), read by the orchestrators; null: the SSM parameter /runfleet-github/<stage>/private-key.
    kms_key_arn: the customer-managed KMS key these are encrypted with, and the orchestrators encrypt the
    runners' JIT configs with; null: the App's secrets use the AWS-managed keys and the JIT configs a key this
    module creates (alias/runfleet-<stage>-jit), which only the orchestrators and runner roles may use.
    app_id: the App's id (its settings page, "App ID"); null: read from the SSM String parameter
    /runfleet-github/<stage>/app-id at plan time.
    api_url: GitHub's REST API, https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.
    runner_group_id: the runner group JIT runners join (1 is the organisation's Default group).
  EOT
  type = object({
    webhook_secret_parameter          = optional(string)
    previous_webhook_secret_parameter = optional(string)
    private_key_secret_arn            = optional(string)
    kms_key_arn                       = optional(string)
    app_id                            = optional(number)
    api_url                           = optional(string, "https://api.github.com")
    runner_group_id                   = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    # No {1,1011} repeat: Terraform's regex engine refuses repeat counts above 1000.
    condition     = var.github_app.webhook_secret_parameter == null || (length(coalesce(var.github_app.webhook_secret_parameter, "-")) <= 1011 && can(regex("^/?[a-zA-Z0-9_.\\-/]+$", coalesce(var.github_app.webhook_secret_parameter, "-"))))
    error_message = "webhook_secret_parameter must be null or an SSM parameter name (a-z, 0-9, _ . - /), not an ARN or a secret value."
  }
  validation {
    condition     = var.github_app.previous_webhook_secret_parameter == null || (length(coalesce(var.github_app.previous_webhook_secret_parameter, "-")) <= 1011 && can(regex("^/?[a-zA-Z0-9_.\\-/]+$", coalesce(var.github_app.previous_webhook_secret_parameter, "-"))))
    error_message = "previous_webhook_secret_parameter must be null or an SSM parameter name."
  }
  validation {
    condition     = var.github_app.private_key_secret_arn == null || can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+)$", coalesce(var.github_app.private_key_secret_arn, "-")))
    error_message = "private_key_secret_arn must be null or the ARN of a Secrets Manager secret or an SSM parameter."
  }
  validation {
    condition     = var.github_app.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.github_app.kms_key_arn, "-")))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
  validation {
    condition     = var.github_app.app_id == null || (coalesce(var.github_app.app_id, 1) > 0 && floor(coalesce(var.github_app.app_id, 1)) == coalesce(var.github_app.app_id, 1))
    error_message = "app_id must be null (read from /runfleet-github/<stage>/app-id) or the GitHub App's id, a positive whole number."
  }
  validation {
    # No trailing slash: the orchestrators append API paths to it.
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]+)?(/api/v3)?$", var.github_app.api_url))
    error_message = "api_url must be https://api.github.com or, for GitHub Enterprise Server, https://HOST/api/v3 (https, no trailing slash)."
  }
  validation {
    condition     = var.github_app.runner_group_id > 0 && floor(var.github_app.runner_group_id) == var.github_app.runner_group_id
    error_message = "runner_group_id must be a positive whole number (1 is the Default group)."
  }
}

variable "allow" {
  description = <<-EOT
    Which repositories runfleet serves: the first value of the SSM String parameter /runfleet/<stage>/allow
    (comma-separated), which the producer and the orchestrators read. Each entry is an owner (NAME), every
    repository of an owner (OWNER/*) or one repository (OWNER/REPO), matched case-insensitively. Empty allows
    every repository the App is installed on, and creates no parameter (SSM refuses empty values). Once created,
    the parameter belongs to the operator (`runfleet allow set`): applies never reset it.
  EOT
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.allow : can(regex("^[A-Za-z0-9][A-Za-z0-9._-]*(/(\\*|[A-Za-z0-9._-]+))?$", p))])
    error_message = "Each allow entry must be NAME, OWNER/* or OWNER/REPO (letters, digits, '.', '_', '-'; no spaces or commas)."
  }
  validation {
    # SSM's limit for a standard parameter's value.
    condition     = length(join(",", var.allow)) <= 4096
    error_message = "allow joined with commas must fit 4096 characters (an SSM standard parameter)."
  }
}

variable "network" {
  description = <<-EOT
    Where runners run. subnet_ids: private subnets with a route to GitHub (NAT) or public ones with
    assign_public_ip. security_group_ids: attached to every runner; empty creates an egress-only group.
  EOT
  type = object({
    vpc_id             = string
    subnet_ids         = list(string)
    security_group_ids = optional(list(string), [])
    assign_public_ip   = optional(bool, false)
  })

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.network.vpc_id))
    error_message = "vpc_id must look like vpc-0123456789abcdef0."
  }
  validation {
    condition     = length(var.network.subnet_ids) > 0 && alltrue([for s in var.network.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids needs at least one subnet id (subnet-...)."
  }
  validation {
    condition     = alltrue([for s in var.network.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", s))]) && length(var.network.security_group_ids) <= 5
    error_message = "security_group_ids holds at most 5 security group ids (sg-...)."
  }
}

variable "lambda" {
  description = "Settings shared by every function: Java runtime, CPU architecture, memory, log retention, and s3_bucket, the bucket every jar is uploaded to (null: the stack creates one; no jar is ever uploaded directly, whose limit is 50 MB)."
  type = object({
    runtime            = optional(string, "java17")
    architecture       = optional(string, "x86_64")
    memory_size        = optional(number, 1024)
    log_retention_days = optional(number, 30)
    s3_bucket          = optional(string)
  })
  default = {}

  validation {
    condition     = contains(["java17", "java21"], var.lambda.runtime)
    error_message = "runtime must be java17 or java21."
  }
  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
  validation {
    condition     = var.lambda.memory_size >= 512 && var.lambda.memory_size <= 10240
    error_message = "memory_size must be between 512 and 10240 MB (the JVM needs at least 512)."
  }
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.lambda.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "lambda_artifacts" {
  description = "Paths of the shaded Lambda jars. null means the build output beside this module (<repo>/producer/target/runfleet-producer-lambda.jar, publisher/target/runfleet-publisher-lambda.jar, orchestrators/target/runfleet-orchestrator-ecs-lambda.jar, -ec2-lambda.jar and -fleet-lambda.jar): run `mvn -B package` first."
  type = object({
    producer           = optional(string)
    publisher          = optional(string)
    orchestrator_ecs   = optional(string)
    orchestrator_ec2   = optional(string)
    orchestrator_fleet = optional(string)
  })
  default = {}
}

variable "webhook" {
  description = <<-EOT
    The webhook endpoint: API Gateway throttling (requests per second and burst; size it to the deliveries a
    burst of jobs sends: each job sends about three, so 100/s carries some 30 new jobs a second, well above
    GitHub's JIT budget of ~3 runners a second and the default caps), the largest body the producer accepts,
    reserved_concurrency (the producer's share of the account's Lambda concurrency, also its ceiling),
    max_event_age_seconds (queued events of older jobs are refused "stale"; GitHub cancels a job queued 24 h)
    and client_error_alarm_percent (the 4xx share that alarms). github_hook_ranges: enabled makes the producer
    refuse (403) callers outside GitHub's published hook ranges before any signature work; the ranges live in the
    SSM parameter /runfleet-github/<stage>/hook-ranges, which a refresher function fills from GitHub's meta API
    (github_app.api_url) on refresh_schedule and once at apply (README, "The front door"). Off by default.
  EOT
  type = object({
    github_hook_ranges = optional(object({
      enabled          = optional(bool, false)
      refresh_schedule = optional(string, "rate(1 hour)")
    }), {})
    throttling_rate_limit      = optional(number, 100)
    throttling_burst_limit     = optional(number, 200)
    max_body_bytes             = optional(number, 1048576)
    timeout_seconds            = optional(number, 10)
    reserved_concurrency       = optional(number, 50)
    max_event_age_seconds      = optional(number, 86400)
    client_error_alarm_percent = optional(number, 10)
  })
  default = {}

  validation {
    condition     = can(regex("^(rate\\([0-9]+ (minute|minutes|hour|hours|day|days)\\)|cron\\(.+\\))$", var.webhook.github_hook_ranges.refresh_schedule))
    error_message = "github_hook_ranges.refresh_schedule must be an EventBridge rate(...) or cron(...) expression."
  }
  validation {
    condition     = var.webhook.throttling_rate_limit > 0 && var.webhook.throttling_burst_limit > 0
    error_message = "Throttling limits must be positive."
  }
  validation {
    condition     = var.webhook.reserved_concurrency >= 1 && var.webhook.reserved_concurrency <= 1000 && floor(var.webhook.reserved_concurrency) == var.webhook.reserved_concurrency
    error_message = "reserved_concurrency must be a whole number from 1 to 1000."
  }
  validation {
    condition     = var.webhook.max_event_age_seconds >= 60 && var.webhook.max_event_age_seconds <= 315360000 && floor(var.webhook.max_event_age_seconds) == var.webhook.max_event_age_seconds
    error_message = "max_event_age_seconds must be a whole number from 60 to 315360000 (ten years)."
  }
  validation {
    condition     = var.webhook.client_error_alarm_percent > 0 && var.webhook.client_error_alarm_percent <= 100
    error_message = "client_error_alarm_percent must be above 0 and at most 100."
  }
  validation {
    # The bounds ProducerConfig enforces: below 1 KiB nothing fits, above 10 MiB API Gateway refuses first.
    condition     = var.webhook.max_body_bytes >= 1024 && var.webhook.max_body_bytes <= 10485760
    error_message = "max_body_bytes must be between 1024 and 10485760."
  }
  validation {
    # GitHub waits 10 s for an answer and never retries by itself.
    condition     = var.webhook.timeout_seconds >= 3 && var.webhook.timeout_seconds <= 10
    error_message = "timeout_seconds must be between 3 and 10."
  }
}

variable "flow" {
  description = <<-EOT
    Flow control. global_cap: runners in flight across all platforms. launch_rate: spin-up commands per
    second across the fleet (GitHub allows about 3 JIT configs per second per App), launch_burst: how many
    may go at once (null: launch_rate rounded up). paused: start with dispatch stopped.
    max_launch_attempts: launches tried for one job before it is given up. parameter_cache_seconds: how long
    the publisher caches the runtime parameters. The SSM parameters under /runfleet/<stage>/ start with these
    values and then belong to the operator: applies never reset them. max_cap_per_platform and
    max_launch_rate (per second, also the burst's ceiling) are the deploy-time ceilings: the publisher clamps
    whatever the parameters say to them, so a parameter write cannot launch an unbounded fleet.
  EOT
  type = object({
    global_cap              = optional(number, 100)
    launch_rate             = optional(number, 3)
    launch_burst            = optional(number)
    paused                  = optional(bool, false)
    max_launch_attempts     = optional(number, 3)
    parameter_cache_seconds = optional(number, 5)
    max_cap_per_platform    = optional(number, 1000)
    max_launch_rate         = optional(number, 20)
  })
  default = {}

  validation {
    condition     = var.flow.max_cap_per_platform >= 0 && var.flow.max_cap_per_platform <= 100000 && floor(var.flow.max_cap_per_platform) == var.flow.max_cap_per_platform
    error_message = "max_cap_per_platform must be a whole number from 0 to 100000."
  }
  validation {
    condition     = var.flow.max_launch_rate >= 1 && var.flow.max_launch_rate <= 1000 && floor(var.flow.max_launch_rate) == var.flow.max_launch_rate
    error_message = "max_launch_rate must be a whole number from 1 to 1000 per second."
  }
  validation {
    condition     = var.flow.launch_rate <= var.flow.max_launch_rate && coalesce(var.flow.launch_burst, ceil(var.flow.launch_rate)) <= ceil(var.flow.max_launch_rate)
    error_message = "launch_rate and launch_burst must not exceed max_launch_rate (the publisher would clamp them)."
  }

  validation {
    condition     = var.flow.global_cap >= 0 && var.flow.global_cap <= 100000 && floor(var.flow.global_cap) == var.flow.global_cap
    error_message = "global_cap must be a whole number from 0 to 100000."
  }
  validation {
    # RuntimeParameters.parseLaunchRate's bounds.
    condition     = var.flow.launch_rate > 0 && var.flow.launch_rate <= 1000
    error_message = "launch_rate must be above 0 and at most 1000 per second."
  }
  validation {
    condition     = var.flow.launch_burst == null || (coalesce(var.flow.launch_burst, 1) >= 1 && coalesce(var.flow.launch_burst, 1) <= 10000 && floor(coalesce(var.flow.launch_burst, 1)) == coalesce(var.flow.launch_burst, 1))
    error_message = "launch_burst must be null or a whole number from 1 to 10000."
  }
  validation {
    condition     = var.flow.parameter_cache_seconds >= 0 && var.flow.parameter_cache_seconds <= 300 && floor(var.flow.parameter_cache_seconds) == var.flow.parameter_cache_seconds
    error_message = "parameter_cache_seconds must be a whole number from 0 to 300."
  }
  validation {
    condition     = var.flow.max_launch_attempts >= 1 && var.flow.max_launch_attempts <= 100 && floor(var.flow.max_launch_attempts) == var.flow.max_launch_attempts
    error_message = "max_launch_attempts must be a whole number from 1 to 100."
  }
}

variable "publisher" {
  description = "The stream consumer and the sweep: batch size, batching window, bounded retries and age of a stream record, shard parallelism (records of one partition key stay in order), the function timeout, the sweep's schedule, and how long a runner without a job waits before the sweep tears it down (runner_idle_seconds)."
  type = object({
    batch_size              = optional(number, 100)
    batching_window_seconds = optional(number, 0)
    maximum_retry_attempts  = optional(number, 10)
    maximum_record_age      = optional(number, 3600)
    parallelization_factor  = optional(number, 4)
    timeout_seconds         = optional(number, 60)
    sweep_schedule          = optional(string, "rate(1 minute)")
    runner_idle_seconds     = optional(number, 600)
  })
  default = {}

  validation {
    condition     = var.publisher.batch_size >= 1 && var.publisher.batch_size <= 1000
    error_message = "batch_size must be between 1 and 1000."
  }
  validation {
    # -1 (retry forever) is what lets one poison record stall a shard for a day.
    condition     = var.publisher.maximum_retry_attempts >= 0 && var.publisher.maximum_retry_attempts <= 10000
    error_message = "maximum_retry_attempts must be between 0 and 10000 (bounded)."
  }
  validation {
    condition     = var.publisher.maximum_record_age >= 60 && var.publisher.maximum_record_age <= 604800
    error_message = "maximum_record_age must be between 60 and 604800 seconds (bounded)."
  }
  validation {
    condition     = var.publisher.batching_window_seconds >= 0 && var.publisher.batching_window_seconds <= 300 && floor(var.publisher.batching_window_seconds) == var.publisher.batching_window_seconds
    error_message = "batching_window_seconds must be a whole number from 0 to 300."
  }
  validation {
    condition     = var.publisher.parallelization_factor >= 1 && var.publisher.parallelization_factor <= 10
    error_message = "parallelization_factor must be between 1 and 10."
  }
  validation {
    condition     = var.publisher.timeout_seconds >= 10 && var.publisher.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 10 and 900."
  }
  validation {
    condition     = can(regex("^(rate\\([0-9]+ (minute|minutes|hour|hours)\\)|cron\\(.+\\))$", var.publisher.sweep_schedule))
    error_message = "sweep_schedule must be an EventBridge rate(...) or cron(...) expression."
  }
  validation {
    # Below a minute a runner still booting (Fargate takes 30 to 60 s) would be torn down before it can take its job.
    condition     = var.publisher.runner_idle_seconds >= 60 && var.publisher.runner_idle_seconds <= 86400 && floor(var.publisher.runner_idle_seconds) == var.publisher.runner_idle_seconds
    error_message = "runner_idle_seconds must be a whole number from 60 to 86400."
  }
}

variable "reconciler" {
  description = "The reconciler: its schedule, function timeout, and settings (seconds): job_stuck_seconds, spin_up_deadline_seconds, boot_deadline_ec2_seconds, boot_deadline_fargate_seconds, max_runner_seconds, busy_grace_seconds; and lost-webhook redelivery: redelivery_lookback_seconds, redeliveries_per_pass. Its call budgets per pass are runtime parameters (/runfleet/<stage>/reconcile/github-calls, aws-calls)."
  type = object({
    schedule        = optional(string, "rate(1 minute)")
    timeout_seconds = optional(number, 60)
    settings = optional(object({
      job_stuck_seconds             = optional(number, 120)
      spin_up_deadline_seconds      = optional(number, 120)
      boot_deadline_ec2_seconds     = optional(number, 300)
      boot_deadline_fargate_seconds = optional(number, 180)
      max_runner_seconds            = optional(number, 21600)
      busy_grace_seconds            = optional(number, 1800)
      redelivery_lookback_seconds   = optional(number, 3600)
      redeliveries_per_pass         = optional(number, 10)
    }), {})
  })
  default = {}

  validation {
    condition     = can(regex("^(rate\\([0-9]+ (minute|minutes|hour|hours)\\)|cron\\(.+\\))$", var.reconciler.schedule))
    error_message = "reconciler.schedule must be an EventBridge rate(...) or cron(...) expression."
  }
  validation {
    condition     = var.reconciler.timeout_seconds >= 10 && var.reconciler.timeout_seconds <= 300
    error_message = "reconciler.timeout_seconds must be from 10 to 300."
  }
}

variable "orchestrators" {
  description = "The per-platform queue consumers: batch size, concurrency per platform, receives before a command goes to the dead-letter queue, function timeout, and how long a launch claim holds."
  type = object({
    batch_size           = optional(number, 10)
    maximum_concurrency  = optional(number, 5)
    max_receive_count    = optional(number, 5)
    timeout_seconds      = optional(number, 60)
    launch_lease_seconds = optional(number, 120)
  })
  default = {}

  validation {
    condition     = var.orchestrators.batch_size >= 1 && var.orchestrators.batch_size <= 10
    error_message = "batch_size must be between 1 and 10 (no batching window: commands are latency-bound)."
  }
  validation {
    condition     = var.orchestrators.maximum_concurrency >= 2 && var.orchestrators.maximum_concurrency <= 1000
    error_message = "maximum_concurrency must be between 2 and 1000 (SQS event source limits)."
  }
  validation {
    condition     = var.orchestrators.max_receive_count >= 1 && var.orchestrators.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
  validation {
    # The queue's visibility timeout is six times this, and SQS caps it at 12 hours.
    condition     = var.orchestrators.timeout_seconds >= 10 && var.orchestrators.timeout_seconds <= 900
    error_message = "timeout_seconds must be between 10 and 900."
  }
  validation {
    condition     = var.orchestrators.launch_lease_seconds >= 5 && var.orchestrators.launch_lease_seconds <= 3600
    error_message = "launch_lease_seconds must be between 5 and 3600 (OrchestratorConfig's bounds)."
  }
}

variable "runners" {
  description = <<-EOT
    What runners boot. fargate_image: the runner container image; null (the default) builds runner/Dockerfile
    in AWS CodeBuild into an ECR repository of this module (see runner_image). Set it only to an image built
    from runner/ (the official actions-runner image cannot read its JIT config); then no repository or build is
    created. fargate_image_ecr_repository_arn: the ECR repository of such an image, so the task execution role
    may pull it; null for a public registry or a built image. ec2_ami: image id per arch ("resolve:ssm:<public parameter>" keeps it current).
    ec2_boot_script: path of the EC2 user data template; null uses the bundled boot script (one job, then shutdown).
    root_volume_gb: EC2 root volume. log_retention_days: runner log group.
  EOT
  type = object({
    fargate_image                    = optional(string)
    fargate_image_ecr_repository_arn = optional(string)
    ec2_ami = optional(map(string), {
      x64   = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
      arm64 = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
    })
    ec2_boot_script    = optional(string)
    root_volume_gb     = optional(number, 40)
    log_retention_days = optional(number, 14)
  })
  default = {}

  validation {
    condition     = var.runners.fargate_image == null || can(regex("^[a-z0-9][^\\s]*$", coalesce(var.runners.fargate_image, "-")))
    error_message = "fargate_image must be null (build the image) or name a container image (no whitespace)."
  }
  validation {
    # Pulling from the built repository is granted by the module itself.
    condition     = var.runners.fargate_image != null || var.runners.fargate_image_ecr_repository_arn == null
    error_message = "fargate_image_ecr_repository_arn goes with an own fargate_image; the built image needs none."
  }
  validation {
    condition     = var.runners.fargate_image_ecr_repository_arn == null || can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", coalesce(var.runners.fargate_image_ecr_repository_arn, "-")))
    error_message = "fargate_image_ecr_repository_arn must be null or an ECR repository ARN."
  }
  validation {
    condition     = alltrue([for arch, ami in var.runners.ec2_ami : contains(["x64", "arm64"], arch) && can(regex("^(ami-[0-9a-f]{8,17}|resolve:ssm:.+)$", ami))])
    error_message = "ec2_ami maps x64 and/or arm64 to an ami-... id or a resolve:ssm:... reference."
  }
  validation {
    condition     = var.runners.root_volume_gb >= 8 && var.runners.root_volume_gb <= 16384
    error_message = "root_volume_gb must be between 8 and 16384."
  }
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.runners.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

variable "runner_image" {
  description = <<-EOT
    The Fargate runner image the module builds when runners.fargate_image is null (and some platform runs on
    ECS): an ECR repository runfleet-<stage>-runner (immutable tags, scan on push), a private bucket with
    runner/, and a CodeBuild batch build (x64 and arm64 natively, then a multi-arch index) tagged
    <runner version>-<12 hex of the content hash of runner/>.
    build_on_apply: start the build from terraform apply whenever that hash changes, and wait for it (needs the
    AWS CLI where terraform runs); false leaves it to `terraform output runner_image` -> start_build_command.
    build_timeout_minutes: how long a build may take and the apply waits. keep_builds: builds whose images the
    repository keeps (older ones expire). log_retention_days: the build log group.
    base_image_digest: pin GitHub's runner image (ghcr.io/actions/actions-runner:<version>) by the digest of its
    multi-arch index, sha256:<64 hex> (e.g. from `docker buildx imagetools inspect` of the tag); null builds from
    the tag as it is at build time. Changing it builds a new image.
  EOT
  type = object({
    base_image_digest     = optional(string)
    build_on_apply        = optional(bool, true)
    build_timeout_minutes = optional(number, 60)
    keep_builds           = optional(number, 5)
    log_retention_days    = optional(number, 30)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.runner_image.build_timeout_minutes >= 10 && var.runner_image.build_timeout_minutes <= 480 && floor(var.runner_image.build_timeout_minutes) == var.runner_image.build_timeout_minutes
    error_message = "build_timeout_minutes must be a whole number from 10 to 480 (CodeBuild's bounds for a batch)."
  }
  validation {
    condition     = var.runner_image.base_image_digest == null || can(regex("^sha256:[0-9a-f]{64}$", coalesce(var.runner_image.base_image_digest, "-")))
    error_message = "base_image_digest must be null or sha256: followed by 64 lower-case hex digits."
  }
  validation {
    condition     = var.runner_image.keep_builds >= 1 && var.runner_image.keep_builds <= 100 && floor(var.runner_image.keep_builds) == var.runner_image.keep_builds
    error_message = "keep_builds must be a whole number from 1 to 100."
  }
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.runner_image.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts."
  }
}

variable "create_spot_service_linked_role" {
  description = <<-EOT
    Create the AWSServiceRoleForEC2Spot service-linked role, which EC2 needs before it launches a spot instance
    for CreateFleet. It exists at most once per account: leave false when it already exists (another stack,
    an earlier spot launch or `aws iam create-service-linked-role --aws-service-name spot.amazonaws.com`), or
    when no EC2 platform uses spot.
  EOT
  type        = bool
  default     = false
}

variable "observability" {
  description = "Alarms and the dashboard. alarm_actions: SNS topic ARNs notified on alarm and recovery. queue_age_alarm_seconds: age of the oldest command before a platform queue alarms. dashboard: create the CloudWatch dashboard."
  type = object({
    alarm_actions           = optional(list(string), [])
    queue_age_alarm_seconds = optional(number, 300)
    dashboard               = optional(bool, true)
  })
  default = {}

  validation {
    condition     = alltrue([for a in var.observability.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:", a))])
    error_message = "alarm_actions must be SNS topic ARNs."
  }
  validation {
    condition     = var.observability.queue_age_alarm_seconds >= 60
    error_message = "queue_age_alarm_seconds must be at least 60."
  }
}

variable "table" {
  description = "The jobs table. deletion_protection: refuse `terraform destroy` of the table until set to false (README, Destroy)."
  type = object({
    deletion_protection = optional(bool, true)
  })
  default = {}
}

variable "tags" {
  description = "Tags on every resource that takes tags (runfleet:stage is added)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : !startswith(lower(k), "aws:") && length(k) <= 128 && length(v) <= 256])
    error_message = "Tag keys must not start with aws: and stay within 128 characters (values 256)."
  }
}
