# campaigns.tfquery.hcl: the team's campaigns, for terraform query
# (Terraform 1.14 and later).
list "kakiyo_campaign" "all" {
  provider         = kakiyo
  include_resource = true
}
