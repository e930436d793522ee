# The team's products, by name: what a campaign sells.
data "kakiyo_products" "all" {}

locals {
  product_ids = { for p in data.kakiyo_products.all.products : p.name => p.id }
}
