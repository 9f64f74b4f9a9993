variable "name" {
  description = "Name prefix (runfleet-<stage>)."
  type        = string
}

variable "platforms" {
  description = "Enabled platform names: one queue, dead-letter queue and subscription each."
  type        = list(string)
}

variable "filter_policies_dir" {
  description = "Directory of the <platform>.json filter policies the Java code uses."
  type        = string
}

variable "visibility_timeout" {
  description = "Visibility timeout of the command queues: at least six times the consumer's timeout, as AWS advises for Lambda."
  type        = number
}

variable "max_receive_count" {
  description = "Receives before a command moves to the dead-letter queue."
  type        = number
}

variable "queue_age_alarm_seconds" {
  description = "Age of the oldest command that raises the queue age alarm."
  type        = number
}

variable "alarm_actions" {
  description = "SNS topics notified by the alarms."
  type        = list(string)
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
}
