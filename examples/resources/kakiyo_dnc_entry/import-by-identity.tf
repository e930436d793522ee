# Terraform 1.12 and later, OpenTofu 1.12 and later: adopt an existing do-not-
# contact entry by its identity.
import {
  to = kakiyo_dnc_entry.ceo
  identity = {
    url = "https://linkedin.com/in/jane-doe"
  }
}
