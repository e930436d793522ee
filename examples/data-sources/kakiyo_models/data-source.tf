# The AI models Kakiyo offers, by name.
data "kakiyo_models" "all" {}

output "model_names" {
  value = data.kakiyo_models.all.models[*].name
}
