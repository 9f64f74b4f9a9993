variable "private_key_secret_arn" {
  description = "Secrets Manager secret or SSM parameter with the App's private key."
  type        = string
}

variable "app_id_parameter_arn" {
  description = "ARN of the SSM parameter holding the App id, or null when the function gets the id itself."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "The customer key encrypting the App's private key, if any."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region (kms:ViaService)."
  type        = string
}
