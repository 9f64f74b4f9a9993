output "webhook_url" {
  description = "Enter this as the GitHub App's webhook URL."
  value       = module.runfleet.webhook_url
}

output "queue_urls" {
  description = "Command queue per platform."
  value       = module.runfleet.queue_urls
}

output "runner_hosts" {
  description = "Cluster, task definitions and launch templates the launchers use."
  value       = module.runfleet.runner_hosts
}

output "alarm_topic_arn" {
  description = "Subscribe on-call to this topic."
  value       = aws_sns_topic.alarms.arn
}

output "runner_image" {
  description = "The Fargate runner image and how it is built."
  value       = module.runfleet.runner_image
}
