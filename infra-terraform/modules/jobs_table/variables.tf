variable "name" {
  description = "Table name."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse deletion of the table while true."
  type        = bool
}

variable "tags" {
  description = "Tags for the table."
  type        = map(string)
}
