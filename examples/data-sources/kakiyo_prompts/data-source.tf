# The team's invitation prompts, by name.
data "kakiyo_prompts" "all" {}

locals {
  invitation_prompt_ids = { for p in data.kakiyo_prompts.all.prompts : p.name => p.id if p.type == "invitation" }
}
