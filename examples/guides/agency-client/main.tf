# An agency's clients, one module instance each (Kakiyo's Agency plan).
terraform {
  required_providers {
    kakiyo = { source = "kakiyo/kakiyo" }
  }
}

provider "kakiyo" {} # reads KAKIYO_API_KEY

variable "protect_workspaces" {
  description = "Set to false, and apply, before destroying a client."
  type        = bool
  default     = true
}

locals {
  clients = {
    "Acme Corp" = {
      contact_email = "jane.doe@acme.example"
      agents = {
        emea     = { days = "1:1:1:1:1:0:0", start = "08:30", stop = "17:30", pain_point = "late shipments" }
        americas = { days = "1:1:1:1:1:0:0", start = "09:00", stop = "18:00", pain_point = "customs delays" }
      }
    }
    "Globex" = {
      contact_email = "max.muster@globex.example"
      agents = {
        dach = { days = "1:1:1:1:0:0:0", start = "08:00", stop = "16:00", pain_point = "manual invoicing" }
      }
    }
  }
}

data "kakiyo_products" "all" {}

data "kakiyo_prompts" "all" {}

module "client" {
  source   = "./modules/client"
  for_each = local.clients

  name                = each.key
  contact_email       = each.value.contact_email
  agents              = each.value.agents
  product_id          = one([for p in data.kakiyo_products.all.products : p.id if p.name == "Kakiyo Pro"])
  prompt_id           = one([for p in data.kakiyo_prompts.all.prompts : p.id if p.name == "First touch"])
  deletion_protection = var.protect_workspaces
}

output "portal_urls" {
  value = { for name, c in module.client : name => c.portal_url }
}
