# A webhook is imported by its id.
terraform import kakiyo_webhook.crm 69724b7100331796aae3
