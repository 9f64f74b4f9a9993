output "function_names" {
  description = "The stream consumer's and the sweep's function names."
  value = {
    publisher         = module.publisher.function_name
    "publisher-sweep" = module.sweep.function_name
  }
}

output "stream_failures_queue_url" {
  description = "Where stream batches go after their retries."
  value       = aws_sqs_queue.stream_failures.url
}
