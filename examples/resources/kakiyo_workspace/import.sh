# A workspace is imported by its id.
terraform import kakiyo_workspace.acme 680321c8001e2f527d90
