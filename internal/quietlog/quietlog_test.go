package quietlog

import (
	"os"
	"testing"
)

func TestUnlessAsked(t *testing.T) {
	for _, v := range append(askedFor, "TF_LOG_SDK", "TF_LOG_PROVIDER") {
		t.Setenv(v, "")
	}
	UnlessAsked()
	if os.Getenv("TF_LOG_SDK_FRAMEWORK") != "off" || os.Getenv("TF_LOG_PROVIDER") != "off" {
		t.Error("logs left on with no log variable set")
	}
	for _, v := range askedFor {
		t.Run(v, func(t *testing.T) {
			for _, w := range askedFor {
				t.Setenv(w, "")
			}
			t.Setenv(v, "debug")
			UnlessAsked()
			for _, w := range askedFor {
				if w != v && os.Getenv(w) == "off" {
					t.Errorf("%s set: %s turned off", v, w)
				}
			}
		})
	}
}
