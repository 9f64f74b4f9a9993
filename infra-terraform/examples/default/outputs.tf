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
