# Stop managing an agent without deleting it (Terraform 1.7 and later,
# OpenTofu): replace its resource block with this one, then apply. The
# agent keeps running in Kakiyo; no API call deletes it.
removed {
  from = kakiyo_agent.sales

  lifecycle {
    destroy = false
  }
}
