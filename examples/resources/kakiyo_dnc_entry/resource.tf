# One profile that no agent may contact. Any spelling Kakiyo accepts works;
# changing only the spelling changes nothing in Kakiyo.
resource "kakiyo_dnc_entry" "ceo" {
  url = "https://www.linkedin.com/in/jane-doe/"
}
