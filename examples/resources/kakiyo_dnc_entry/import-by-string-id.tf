# Terraform 1.5 and later: adopt an existing do-not-contact entry with an
# import block, by its id (the profile URL works too).
import {
  to = kakiyo_dnc_entry.ceo
  id = "680321c8001e2f527d82"
}
