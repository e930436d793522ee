# Relaunch an ended agent (Terraform 1.14 and later):
#   terraform apply -invoke=action.kakiyo_agent_relaunch.sales
action "kakiyo_agent_relaunch" "sales" {
  config {
    agent_id = kakiyo_agent.sales.id
  }
}
