# Relaunch the agent from an apply (Terraform 1.14 and later): once Kakiyo
# has ended it, apply with -var relaunch_generation=2 (then 3, ...).
variable "relaunch_generation" {
  type    = number
  default = 1
}

resource "terraform_data" "relaunch_sales" {
  input = var.relaunch_generation

  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.kakiyo_agent_relaunch.sales]
    }
  }
}
