# The agent sells a product with a prompt; ids come from the products and
# prompts data sources (examples/data-sources). Kakiyo cannot delete a
# campaign: destroying this pauses it, and it stays in Kakiyo.
resource "kakiyo_campaign" "acme_q4" {
  name       = "Acme Q4 outreach"
  agent_id   = kakiyo_agent.sales.id
  product_id = local.product_ids["Kakiyo Pro"]
  prompt_id  = local.invitation_prompt_ids["First touch"]

  qualification_automatic    = 75 # qualified automatically from this score
  qualification_verification = 45 # sent to manual review from this one

  variables = {
    companyValue = "Freight that arrives on time"
    painPoint    = "late shipments"
  }
}
