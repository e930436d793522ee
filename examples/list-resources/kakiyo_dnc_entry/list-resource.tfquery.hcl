# dnc.tfquery.hcl: the team's Do Not Contact entries, for terraform query
# (Terraform 1.14 and later). terraform query shows 100 results unless the
# list block says otherwise.
list "kakiyo_dnc_entry" "all" {
  provider         = kakiyo
  include_resource = true
  limit            = 10000
}
