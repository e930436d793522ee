# By profile URL (any spelling Kakiyo accepts)...
terraform import kakiyo_dnc_entry.ceo https://linkedin.com/in/jane-doe
# ...or by the entry's id.
terraform import kakiyo_dnc_entry.ceo 680321c8001e2f527d82
