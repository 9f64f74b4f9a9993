# Runtime parameters an operator tunes without a deploy (read by the publisher through Powertools Parameters).
# Terraform sets the first value only: ignore_changes keeps an operator's later changes across applies.

locals {
  prefix = "/runfleet/${var.stage}"
}

resource "aws_ssm_parameter" "platform_cap" {
  for_each = var.platform_caps

  name        = "${local.prefix}/caps/${each.key}"
  description = "Max runners in flight on platform ${each.key}"
  type        = "String"
  value       = tostring(each.value)
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "global_cap" {
  name        = "${local.prefix}/caps/global"
  description = "Max runners in flight across all platforms"
  type        = "String"
  value       = tostring(var.global_cap)
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "launch_rate" {
  name        = "${local.prefix}/launch-rate"
  description = "Max spin-up commands per second across the fleet (GitHub: about 3 JIT configs per second per App)"
  type        = "String"
  value       = var.launch_rate
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "paused" {
  name        = "${local.prefix}/paused"
  description = "true stops new dispatches; runners in flight continue"
  type        = "String"
  value       = tostring(var.paused)
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

# The allow-list (comma-separated NAME, OWNER/* or OWNER/REPO) the producer and the orchestrators read. Only
# with a first value: SSM refuses an empty one, and no parameter means "allow all". After that the operator
# owns it (`runfleet allow set`), as the caps.
resource "aws_ssm_parameter" "allow" {
  count = length(var.allow) > 0 ? 1 : 0

  name        = "${local.prefix}/allow"
  description = "Repositories runfleet serves: NAME, OWNER/* or OWNER/REPO, comma-separated, case-insensitive"
  type        = "String"
  value       = join(",", var.allow)
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

# The reconciler's call budgets per pass (ParameterCallBudgets): GitHub lookups never eat the JIT budget, and a
# fleet larger than the defaults raises them here.
resource "aws_ssm_parameter" "reconcile_github_calls" {
  name        = "${local.prefix}/reconcile/github-calls"
  description = "GitHub API calls one reconciler pass may make (job and runner lookups), 0 to 10000"
  type        = "String"
  value       = "30"
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}

resource "aws_ssm_parameter" "reconcile_aws_calls" {
  name        = "${local.prefix}/reconcile/aws-calls"
  description = "AWS API calls (DescribeTasks, DescribeInstances) one reconciler pass may make, 0 to 10000"
  type        = "String"
  value       = "60"
  tags        = var.tags

  lifecycle {
    ignore_changes = [value]
  }
}
