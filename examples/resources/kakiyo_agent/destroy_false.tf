# Terraform 1.16 or later, OpenTofu 1.12 or later: `terraform destroy`
# forgets this agent instead of deleting it (no call to Kakiyo, whatever its
# status); it keeps running in Kakiyo. Beware: if this agent is ever
# replaced (tainted, say), the plan creates a new paid agent and forgets
# the old one.
resource "kakiyo_agent" "kept" {
  working_hours = {
    days  = "1:1:1:1:1:0:0"
    start = "08:30"
    stop  = "12:30"
  }

  lifecycle {
    destroy = false
  }
}
