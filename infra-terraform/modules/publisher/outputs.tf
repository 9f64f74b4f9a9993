output "function_names" {
  description = "The stream consumer's, the sweep's and the wake-up's function names."
  value = {
    publisher           = module.publisher.function_name
    "publisher-sweep"   = module.sweep.function_name
    "publisher-wake-up" = module.wake_up.function_name
  }
}

output "stream_failures_queue_url" {
  description = "Where stream batches go after their retries."
  value       = aws_sqs_queue.stream_failures.url
}

output "wake_up_queue_url" {
  description = "The queue of the publisher's delayed wake-ups."
  value       = aws_sqs_queue.wake_up.url
}

output "stream_mapping" {
  description = "How the stream feeds the publisher: batch size, batching window and parallelization factor."
  value = {
    batch_size                         = aws_lambda_event_source_mapping.stream.batch_size
    maximum_batching_window_in_seconds = aws_lambda_event_source_mapping.stream.maximum_batching_window_in_seconds
    parallelization_factor             = aws_lambda_event_source_mapping.stream.parallelization_factor
  }
}
