variable "name" {
  description = "Name prefix (runfleet-<stage>); also the dashboard's name."
  type        = string
}

variable "region" {
  description = "AWS region of the metrics."
  type        = string
}

variable "function_names" {
  description = "Every function, by role (producer, publisher, publisher-sweep, reconciler, orchestrator-<platform>)."
  type        = map(string)
}

variable "stream_function_name" {
  description = "The function consuming the jobs table's stream."
  type        = string
}

variable "api_id" {
  description = "The webhook HTTP API."
  type        = string
}

variable "platforms" {
  description = "Enabled platforms, in routing order."
  type        = list(string)
}

variable "queue_names" {
  description = "Per platform: the command queue's name."
  type        = map(string)
}

variable "dlq_names" {
  description = "Per platform: the dead-letter queue's name."
  type        = map(string)
}

variable "parameters_path" {
  description = "The runtime parameters' path, /runfleet/<stage> (no trailing slash): each change under it notifies."
  type        = string
}

variable "alarm_actions" {
  description = "SNS topics notified by the alarms."
  type        = list(string)
}

variable "dashboard" {
  description = "Create the dashboard."
  type        = bool
}

variable "tags" {
  description = "Tags for the alarms."
  type        = map(string)
}
