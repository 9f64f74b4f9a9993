variable "stage" {
  description = "Stage: the parameters live under /runfleet/<stage>/."
  type        = string
}

variable "platform_caps" {
  description = "Initial cap per platform."
  type        = map(number)
}

variable "global_cap" {
  description = "Initial global cap."
  type        = number
}

variable "launch_rate" {
  description = "Initial launch rate: \"R\" or \"R/B\" (R per second, burst B), as RuntimeParameters.parseLaunchRate reads it."
  type        = string
}

variable "paused" {
  description = "Initial pause switch."
  type        = bool
}

variable "allow" {
  description = "First value of the allow-list; empty creates no parameter (allow all)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the parameters."
  type        = map(string)
}
