# Read one agent, e.g. to alert on its status outside Terraform.
data "kakiyo_agent" "sales" {
  id = "69724b7100331796aae2"
}

output "sales_agent_status" {
  value = data.kakiyo_agent.sales.status
}
