# A small module to test offline: it onboards an agency client. It makes the
# client's workspace, invites the client's contact, assigns one of the
# team's agents, and starts a campaign that sells a product of the team's
# catalog with one of its prompts. The agent, the product and the prompt
# already exist in Kakiyo (the provider manages no product or prompt), so a
# test seeds them into kakiyo-sim from kakiyo-sim.json.

terraform {
  required_providers {
    kakiyo = {
      source = "kakiyo/kakiyo"
    }
  }
}

variable "client" {
  type        = string
  description = "Name of the client: the workspace's name."
}

variable "contact_email" {
  type        = string
  description = "E-mail address of the client's contact, invited into the workspace."
}

variable "agent_id" {
  type        = string
  description = "Id of the running agent that works for the client."
}

variable "product" {
  type        = string
  description = "Name of the product the campaign sells, as the catalog names it."
  default     = "Kakiyo Pro"
}

variable "prompt" {
  type        = string
  description = "Name of the invitation prompt the campaign writes with."
  default     = "First touch"
}

data "kakiyo_agent" "this" {
  id = var.agent_id
}

data "kakiyo_products" "all" {}

data "kakiyo_prompts" "all" {}

locals {
  product_ids = { for p in data.kakiyo_products.all.products : p.name => p.id }
  prompt_ids  = { for p in data.kakiyo_prompts.all.prompts : p.name => p.id if p.type == "invitation" }
}

resource "kakiyo_workspace" "client" {
  name = var.client
}

resource "kakiyo_workspace_client" "contact" {
  workspace_id = kakiyo_workspace.client.id
  email        = var.contact_email
}

resource "kakiyo_workspace_agent" "agent" {
  workspace_id = kakiyo_workspace.client.id
  agent_id     = data.kakiyo_agent.this.id

  lifecycle {
    precondition {
      condition     = data.kakiyo_agent.this.status == "running"
      error_message = "Agent ${var.agent_id} is ${data.kakiyo_agent.this.status}: only a running agent can work for a client."
    }
  }
}

resource "kakiyo_campaign" "launch" {
  name       = "${var.client} launch"
  agent_id   = kakiyo_workspace_agent.agent.agent_id
  product_id = lookup(local.product_ids, var.product, null)
  prompt_id  = lookup(local.prompt_ids, var.prompt, null)

  lifecycle {
    precondition {
      condition     = contains(keys(local.product_ids), var.product) && contains(keys(local.prompt_ids), var.prompt)
      error_message = "The catalog has no product \"${var.product}\" or no invitation prompt \"${var.prompt}\"."
    }
  }
}

output "workspace_id" {
  value = kakiyo_workspace.client.id
}

output "campaign_status" {
  value = kakiyo_campaign.launch.status
}
