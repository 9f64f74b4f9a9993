output "topic_arn" {
  description = "ARN of the runner-commands topic (RUNFLEET_TOPIC_ARN)."
  value       = aws_sns_topic.commands.arn
}

output "queues" {
  description = "Per platform: the command queue's and the dead-letter queue's name, URL and ARN."
  value = { for platform in var.platforms : platform => {
    name     = aws_sqs_queue.commands[platform].name
    url      = aws_sqs_queue.commands[platform].url
    arn      = aws_sqs_queue.commands[platform].arn
    dlq_name = aws_sqs_queue.dlq[platform].name
    dlq_url  = aws_sqs_queue.dlq[platform].url
    dlq_arn  = aws_sqs_queue.dlq[platform].arn
  } }
}
