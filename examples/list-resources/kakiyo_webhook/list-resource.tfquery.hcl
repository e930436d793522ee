# webhooks.tfquery.hcl: every webhook of the team, for terraform query
# (Terraform 1.14 and later). With -generate-config-out, Terraform writes an
# import block and a kakiyo_webhook block for each.
list "kakiyo_webhook" "all" {
  provider         = kakiyo
  include_resource = true
}
