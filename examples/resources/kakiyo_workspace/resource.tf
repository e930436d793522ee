# A client workspace (Kakiyo's Agency plan). Deleting it is irreversible,
# so it is protected: a plan that would destroy or replace it fails.
resource "kakiyo_workspace" "acme" {
  name                = "Acme Corp"
  deletion_protection = true
}
