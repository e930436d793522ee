# An assignment is imported as "<workspace_id>/<agent_id>".
terraform import kakiyo_workspace_agent.acme_sales 680321c8001e2f527d90/69724b7100331796aae2
