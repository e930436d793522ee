# A membership is imported as "<workspace_id>/<email>".
terraform import kakiyo_workspace_client.acme_lead 680321c8001e2f527d90/jane.doe@acme.example
