terraform {
  required_providers {
    kakiyo = {
      source = "kakiyo/kakiyo"
    }
  }
}

# The API key is best left out of the configuration: set KAKIYO_API_KEY in
# the environment instead. base_url defaults to https://api.kakiyo.com/v1.
provider "kakiyo" {}
