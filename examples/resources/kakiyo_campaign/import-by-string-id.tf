# Terraform 1.5 and later: adopt an existing campaign with an import block, by
# its id.
import {
  to = kakiyo_campaign.acme_q4
  id = "682c0dfc0036ded6b91c"
}
