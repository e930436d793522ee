package kakiyo

import (
	"context"
	"testing"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// A relaunch whose answer was lost and whose retry met setup_needed was a
// relaunch after all; any other refusal was not.
func TestRelaunched(t *testing.T) {
	srv := kakiyotest.Start(t)
	ended := srv.AddAgent(kakiyotest.AgentSeed{Status: "ended"})
	running := srv.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey, RetryWaitMin: time.Millisecond})
	ctx := context.Background()
	if err := c.RelaunchAgent(ctx, running); !IsInvalidStatus(err) || CurrentStatus(err) != "running" || Relaunched(err) {
		t.Errorf("running agent: %v", err)
	}
	srv.InjectFault("POST", "/agents/"+ended+"/relaunch", kakiyotest.Fault{Reset: true, AfterHandling: true, Times: 1})
	if err := c.RelaunchAgent(ctx, ended); !Relaunched(err) {
		t.Errorf("lost answer, then setup_needed: %v", err)
	}
	if n := srv.Count("POST", "/agents/"+ended+"/relaunch"); n != 2 {
		t.Errorf("%d calls", n)
	}
}
