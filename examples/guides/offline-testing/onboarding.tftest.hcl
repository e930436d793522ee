# terraform test, against kakiyo-sim started with -state kakiyo-sim.json
# (KAKIYO_BASE_URL and KAKIYO_API_KEY point the provider at it). The plans
# come first: later runs share the state of the apply.

variables {
  client        = "Acme"
  contact_email = "lead@acme.example"
  agent_id      = "agent000000000000001" # running, in kakiyo-sim.json
}

run "plan_reads_the_catalog" {
  command = plan

  assert {
    condition     = local.product_ids["Kakiyo Pro"] == "product0000000000001"
    error_message = "The product of the seeded catalog was not found."
  }
  assert {
    condition     = kakiyo_campaign.launch.prompt_id == "prompt00000000000001"
    error_message = "The campaign does not use the seeded invitation prompt."
  }
}

run "an_ended_agent_is_refused" {
  command = plan

  variables {
    client   = "Globex"
    agent_id = "agent000000000000002" # ended, in kakiyo-sim.json
  }

  expect_failures = [kakiyo_workspace_agent.agent]
}

run "an_unknown_product_is_refused" {
  command = plan

  variables {
    client  = "Initech"
    product = "Nothing we sell"
  }

  expect_failures = [kakiyo_campaign.launch]
}

run "onboard_the_client" {
  assert {
    condition     = kakiyo_campaign.launch.status == "active"
    error_message = "The new campaign is not active."
  }
  assert {
    condition     = kakiyo_workspace_agent.agent.workspace_id == output.workspace_id
    error_message = "The agent is not assigned to the client's workspace."
  }
  assert {
    condition     = kakiyo_workspace_client.contact.roles == tolist(["member"])
    error_message = "The contact is not invited as a member."
  }
}
