// Package quietlog keeps a provider process from writing logs that no one
// reads.
package quietlog

import "os"

// askedFor are the variables by which Terraform's user asks for logs;
// Terraform passes its environment to the providers it starts.
var askedFor = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_KAKIYO", "TF_LOG_SDK", "TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK"}

// UnlessAsked turns the plugin SDK's and the provider's logs off when none
// of the log variables is set, before the provider serves. Terraform then
// discards every line a provider writes; left on, the SDK writes trace lines
// (JSON, one per validator, plan modifier and RPC step), which cost a fifth
// of a provider's CPU in a run of hundreds of resources. With any of them
// set, nothing changes.
func UnlessAsked() {
	for _, v := range askedFor {
		if os.Getenv(v) != "" {
			return
		}
	}
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(v, "off")
	}
}
