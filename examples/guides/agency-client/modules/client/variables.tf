variable "name" {
  description = "The client's name: its workspace's, and the prefix of its campaigns' names."
  type        = string
}

variable "contact_email" {
  description = "The client's person invited into the workspace."
  type        = string
}

variable "agents" {
  description = "The client's agents, by a short name: their working hours, and what their campaign says."
  type = map(object({
    days       = string
    start      = string
    stop       = string
    pain_point = string
  }))
}

variable "product_id" {
  description = "The product the client's campaigns sell."
  type        = string
}

variable "prompt_id" {
  description = "The prompt the client's campaigns use."
  type        = string
}

variable "deletion_protection" {
  description = "Refuse to delete the workspace (Kakiyo's delete is irreversible)."
  type        = bool
  default     = true
}
