# Every plan of these agents reads them from one listing of the team's
# agents: one call, however many agents (one per page of the listing).
locals {
  sales_regions = toset(["emea", "americas", "apac"])
}

resource "kakiyo_agent" "sales" {
  for_each = local.sales_regions

  working_hours = { days = "1:1:1:1:1:0:0", start = "08:30", stop = "17:30" }
  limits        = { invitations_min = 5, invitations_max = 15 }
}
