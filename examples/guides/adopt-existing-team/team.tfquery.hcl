# team.tfquery.hcl: what the team already has in Kakiyo, for terraform
# query (Terraform 1.14 and later). Put it next to a configuration with the
# kakiyo provider, then run
#   terraform query -generate-config-out=generated.tf
# Each list block costs one listing (one call per page).
list "kakiyo_agent" "all" {
  provider         = kakiyo
  include_resource = true
}

list "kakiyo_webhook" "all" {
  provider         = kakiyo
  include_resource = true
}

list "kakiyo_dnc_entry" "all" {
  provider         = kakiyo
  include_resource = true
  limit            = 10000 # terraform query shows 100 results unless told otherwise
}

list "kakiyo_workspace" "all" {
  provider         = kakiyo
  include_resource = true
}

list "kakiyo_campaign" "all" {
  provider         = kakiyo
  include_resource = true
}
