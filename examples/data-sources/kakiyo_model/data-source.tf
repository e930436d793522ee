# One model by name (not case sensitive), or by id.
data "kakiyo_model" "writer" {
  name = "GPT 5 Mini"
}

output "writer_model_id" {
  value = data.kakiyo_model.writer.id
}
