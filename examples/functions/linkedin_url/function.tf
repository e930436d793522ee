# "https://linkedin.com/in/jane-doe", the form Kakiyo stores.
output "profile" {
  value = provider::kakiyo::linkedin_url("https://www.linkedin.com/in/Jane-Doe/?trk=public_profile")
}
