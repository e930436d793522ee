package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// The demo is run as make demo runs it, so that it cannot rot.
func TestDemo(t *testing.T) {
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH") // set by make test
	var out bytes.Buffer
	if err := run(context.Background(), terraform, "../../..", &out); err != nil {
		t.Fatalf("%v\ntranscript:\n%s", err, out.String())
	}
	for _, want := range []string{
		"Apply complete! Resources: 8 added",
		"~ active",
		"~ unlisted_urls",
		"Apply complete! Resources: 0 added, 2 changed",
		"No changes.",
		"Error: Kakiyo agent not ended",
		"still in Kakiyo and in the Terraform state",
		"Error: Kakiyo workspace deletion protection enabled",
		"Apply complete! Resources: 0 added, 1 changed",
		"Warning: Kakiyo campaign paused, not deleted",
		"Destroy complete! Resources: 8 destroyed.",
		"DELETE /agents/{id}",
		"Demo complete",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the transcript lacks %q:\n%s", want, out.String())
		}
	}
}
