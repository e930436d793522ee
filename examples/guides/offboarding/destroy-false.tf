# Terraform 1.16 and later, OpenTofu 1.12 and later: a resource that a
# destroy forgets instead of deleting. `terraform destroy` then sends no
# DELETE for this agent: it leaves the state and keeps running in Kakiyo.
resource "kakiyo_agent" "support" {
  working_hours = { days = "1:1:1:1:1:0:0", start = "09:00", stop = "17:00" }

  lifecycle {
    destroy = false
  }
}
