# Keep a record of each agent before Kakiyo deletes it for good: one JSON
# file per agent (mode 0600) is written before its DELETE; no record, no
# delete. KAKIYO_EXPORT_DIR does the same without changing the
# configuration.
provider "kakiyo" {
  export_dir = "${path.root}/offboarded-agents"
}
