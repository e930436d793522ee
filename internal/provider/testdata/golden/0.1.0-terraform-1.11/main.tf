# The configuration of the golden states: every resource type, every
# attribute set (write-only versions, nested objects, timeouts). Applied by
# TestAccGoldenStates -update-golden into <release>-terraform-<x.y>/, whose
# state every later release must plan with no change.

terraform {
  required_providers {
    kakiyo = {
      source = "kakiyo/kakiyo"
    }
  }
}

provider "kakiyo" {}

resource "kakiyo_agent" "full" {
  paused              = true
  skip_in_network     = true
  invitations_only    = false
  deletion_protection = true

  working_hours = {
    days  = "1:1:1:1:1:0:0"
    start = "08:30"
    stop  = "17:30"
  }
  limits = {
    invitations_min = 5
    invitations_max = 15
    messages_min    = 10
    messages_max    = 30
  }
  linkedin = {
    login               = "jane@example.com"
    country             = "FR"
    password_wo         = "golden-linkedin-password"
    password_wo_version = 1
  }
  timeouts = {
    create = "10m"
    read   = "2m"
    update = "10m"
    delete = "5m"
  }
}

resource "kakiyo_agent" "minimal" {}

resource "kakiyo_webhook" "crm" {
  name              = "CRM"
  url               = "https://crm.example.com/kakiyo"
  events            = ["prospect.qualified", "message.sent"]
  secret_wo         = "golden-webhook-secret"
  secret_wo_version = 1
}

resource "kakiyo_dnc_entry" "jane" {
  url = "https://www.linkedin.com/in/Jane-Doe/"
}

resource "kakiyo_dnc_list" "partners" {
  urls = ["in/partner-one", "linkedin.com/in/partner-two"]
  timeouts = {
    create = "30m"
    read   = "5m"
    update = "30m"
    delete = "30m"
  }
}

resource "kakiyo_workspace" "acme" {
  name                = "Acme"
  deletion_protection = true
}

resource "kakiyo_workspace_client" "ann" {
  workspace_id = kakiyo_workspace.acme.id
  email        = "ann@acme.example"
  roles        = ["member"]
  redirect_url = "https://portal.example.com/acme"
}

resource "kakiyo_workspace_agent" "full" {
  workspace_id = kakiyo_workspace.acme.id
  agent_id     = kakiyo_agent.full.id
}

resource "kakiyo_campaign" "spring" {
  name                       = "Spring outreach"
  agent_id                   = kakiyo_agent.full.id
  product_id                 = "product0000000000001"
  prompt_id                  = "prompt00000000000001"
  qualification_automatic    = 80
  qualification_verification = 40
  variables                  = { painPoint = "cost", companyValue = "speed" }
  paused                     = true
}
