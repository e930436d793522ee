# Mondays to Thursdays, and Saturdays: "1:1:1:1:0:1:0".
output "working_days" {
  value = provider::kakiyo::working_days("mon-thu,sat")
}
