# Working days by name (Terraform 1.8 or later, or OpenTofu): the agent
# works on weekdays but Wednesday.
resource "kakiyo_agent" "support" {
  working_hours = {
    days  = provider::kakiyo::working_days("mon-tue,thu-fri")
    start = "09:00"
    stop  = "17:00"
  }
}
