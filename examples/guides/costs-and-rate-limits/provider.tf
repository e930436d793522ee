# Three workspaces (or CI jobs) that may apply at the same time on one API
# key: each takes a third of Kakiyo's 60 requests a minute per endpoint, so
# that together they never provoke a 429.
provider "kakiyo" {
  requests_per_minute = 20
  refresh_mode        = "auto" # one listing per run for three agents or more
  max_retries         = 5      # a 429 from elsewhere waits for Retry-After
}
