# agents.tfquery.hcl: every agent of the team, for terraform query
# (Terraform 1.14 and later). With -generate-config-out, Terraform writes an
# import block and a kakiyo_agent block for each.
list "kakiyo_agent" "all" {
  provider         = kakiyo
  include_resource = true

  # Only some statuses, for example:
  # config {
  #   status = ["running", "paused"]
  # }
}
