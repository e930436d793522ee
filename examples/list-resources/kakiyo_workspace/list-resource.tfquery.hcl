# workspaces.tfquery.hcl: the agency's client workspaces, for terraform
# query (Terraform 1.14 and later).
list "kakiyo_workspace" "all" {
  provider         = kakiyo
  include_resource = true
}
