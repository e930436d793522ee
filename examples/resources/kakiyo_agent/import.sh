# Import an existing agent by its Kakiyo id.
terraform import kakiyo_agent.sales 69724b7100331796aae2
