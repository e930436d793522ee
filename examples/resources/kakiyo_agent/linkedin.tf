# Connect the agent's LinkedIn account (Terraform 1.11 or later). The
# password is write-only: it is sent to Kakiyo, never stored in the plan or
# the state. An ephemeral variable keeps it out of plan files too.
variable "linkedin_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "kakiyo_agent" "recruiting" {
  linkedin = {
    login       = "recruiting@example.com"
    country     = "US"
    password_wo = var.linkedin_password
    # Bump to send a new password after rotating it.
    password_wo_version = 1
  }

  deletion_protection = true
}
