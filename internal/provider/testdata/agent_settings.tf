# kakiyo_agent with every setting, for TestAccAgentResource_settings: each
# step changes one variable and checks that only that section is sent.
terraform {
  required_providers {
    kakiyo = {
      source = "kakiyo/kakiyo"
    }
  }
}

variable "base_url" { type = string }
variable "api_key" {
  type      = string
  sensitive = true
}
variable "paused" { type = bool }
variable "skip_in_network" { type = bool }
variable "working_hours" {
  type    = object({ days = string, start = string, stop = string })
  default = null
}
variable "limits" {
  type = object({
    invitations_min = number
    invitations_max = number
    messages_min    = number
    messages_max    = optional(number)
  })
}

provider "kakiyo" {
  base_url       = var.base_url
  api_key        = var.api_key
  retry_wait_min = "1ms"
  retry_wait_max = "20ms"
}

resource "kakiyo_agent" "test" {
  paused           = var.paused
  skip_in_network  = var.skip_in_network
  invitations_only = false
  working_hours    = var.working_hours
  limits           = var.limits
}
