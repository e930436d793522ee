# Customers, partners and staff that no agent may contact: one resource for
# thousands of profiles, added 1,000 a call. In practice the list often
# comes from a file, e.g.
#   urls = distinct(compact(split("\n", file("${path.module}/do-not-contact.txt"))))
resource "kakiyo_dnc_list" "customers" {
  urls = [
    "https://www.linkedin.com/in/john-smith/",
    "linkedin.com/in/maria-garcia",
    "in/wei-chen",
  ]

  # Kakiyo allows 30 removals a minute: destroying 2,500 profiles takes
  # about 84 minutes. The default limit grows with the profiles to remove.
  timeouts = {
    delete = "2h"
  }
}
