# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing
# campaign by its identity.
import {
  to = kakiyo_campaign.acme_q4
  identity = {
    id = "682c0dfc0036ded6b91c"
  }
}
