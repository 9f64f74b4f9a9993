output "names" {
  description = "Parameter names by role: caps (per platform), global_cap, launch_rate, paused, allow (named even before it exists)."
  value = {
    caps        = { for platform, p in aws_ssm_parameter.platform_cap : platform => p.name }
    global_cap  = aws_ssm_parameter.global_cap.name
    launch_rate = aws_ssm_parameter.launch_rate.name
    paused      = aws_ssm_parameter.paused.name
    allow       = "${local.prefix}/allow"
  }
}

output "path" {
  description = "The path every parameter lives under."
  value       = local.prefix
}

output "path_arn" {
  description = "ARN pattern of the parameters under the path, for read grants."
  value       = "${trimsuffix(aws_ssm_parameter.global_cap.arn, "caps/global")}*"
}
