package kakiyo

// From the review of #21: a base URL written without "//" is parsed as an
// opaque URL or a path; RedactURL and ParseBaseURL's message must not show
// its user info all the same.

import (
	"strings"
	"testing"
)

func TestRedactURLWithoutSlashes(t *testing.T) {
	for _, raw := range []string{
		"ops:PA55WORD@127.0.0.1:8787/v1",
		"https:ops:PA55WORD@api.kakiyo.com/v1",
		"https:/ops:PA55WORD@api.kakiyo.com/v1",
	} {
		if got := RedactURL(raw); strings.Contains(got, "PA55WORD") {
			t.Errorf("RedactURL(%q) = %q", raw, got)
		}
		if _, err := ParseBaseURL(raw); err == nil || strings.Contains(err.Error(), "PA55WORD") {
			t.Errorf("ParseBaseURL(%q): %v", raw, err)
		}
	}
}
