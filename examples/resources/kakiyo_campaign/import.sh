# A campaign is imported by its id.
terraform import kakiyo_campaign.acme_q4 682c0dfc0036ded6b91c
