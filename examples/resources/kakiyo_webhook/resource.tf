# Kakiyo POSTs these events to the CRM. Kakiyo's pages name three families
# of events; a name none of them lists gets a warning at plan time.
resource "kakiyo_webhook" "crm" {
  name = "CRM inbox"
  url  = "https://crm.example.com/hooks/kakiyo"
  events = [
    "linkedin.message.received",
    "linkedin.invitation.accepted",
    "prospect.qualification.manual",
  ]
}
