output "webhook_url" {
  description = "Enter this as the GitHub App's webhook URL."
  value       = module.runfleet.webhook_url
}

output "queue_urls" {
  description = "Command queue per platform."
  value       = module.runfleet.queue_urls
}

output "parameter_names" {
  description = "The runtime parameters to tune the fleet with."
  value       = module.runfleet.parameter_names
}

output "github_app_parameters" {
  description = "Where the GitHub App is read from."
  value       = module.runfleet.github_app_parameters
}

output "runner_image" {
  description = "The Fargate runner image and how it is built."
  value       = module.runfleet.runner_image
}
