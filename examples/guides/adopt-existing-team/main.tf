terraform {
  required_providers {
    kakiyo = { source = "kakiyo/kakiyo" }
  }
}

provider "kakiyo" {} # reads KAKIYO_API_KEY
