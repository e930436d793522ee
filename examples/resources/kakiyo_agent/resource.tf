# An agent that works weekday mornings, with conservative daily limits.
resource "kakiyo_agent" "sales" {
  working_hours = {
    days  = "1:1:1:1:1:0:0"
    start = "08:30"
    stop  = "12:30"
  }

  limits = {
    invitations_min = 5
    invitations_max = 15
    messages_min    = 10
    messages_max    = 30
  }

  skip_in_network  = true
  invitations_only = false
  paused           = false
}
