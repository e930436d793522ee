package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// exportConfig is a provider block with export_dir plus count agents.
func exportConfig(srv *kakiyotest.TestServer, dir string, count int) string {
	return providerBlock(srv, fmt.Sprintf("  export_dir = %q", dir)) + fmt.Sprintf(`
resource "kakiyo_agent" "test" {
  count = %d
  limits = { invitations_min = 5, invitations_max = 15 }
}
`, count)
}

// records reads every record in dir, by agent id.
func records(dir string) (map[string]exportRecord, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]exportRecord{}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		fi, _ := os.Stat(path)
		var r exportRecord
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s is not a complete record: %w", e.Name(), err)
		}
		if fi.Mode().Perm() != 0o600 || strings.HasPrefix(e.Name(), ".") {
			return nil, fmt.Errorf("%s: mode %o, or a temporary file left", e.Name(), fi.Mode().Perm())
		}
		if strings.Contains(string(b), kakiyotest.DefaultAPIKey) {
			return nil, fmt.Errorf("%s shows the API key", e.Name())
		}
		out[r.ID] = r
	}
	return out, nil
}

// An export is written completely before the DELETE goes out (the double
// looks for it when the DELETE arrives), holds the agent as last read and
// no secret; a refused delete removes it; the completed one says deleted.
func TestAccAgentResource_exportBeforeDelete(t *testing.T) {
	srv := kakiyotest.Start(t)
	dir := filepath.Join(t.TempDir(), "exports")
	id := kakiyotest.AgentID(1)
	config := exportConfig(srv, dir, 1)
	var mu sync.Mutex
	var atDelete []string // what the directory held when each DELETE arrived
	flip := false         // end the agent's "ended" status when the next DELETE arrives
	srv.OnRequest(func(method, _ string) {
		if method != "DELETE" {
			return
		}
		recs, err := records(dir)
		mu.Lock()
		defer mu.Unlock()
		if flip {
			flip = false
			srv.SetAgentStatus(id, "running")
		}
		switch {
		case err != nil:
			atDelete = append(atDelete, err.Error())
		case len(recs) != 1 || recs[id].Result != exportPending:
			atDelete = append(atDelete, fmt.Sprintf("%+v", recs))
		default:
			atDelete = append(atDelete, "pending record of "+id)
		}
	})
	seen := func(want ...string) error {
		mu.Lock()
		defer mu.Unlock()
		if strings.Join(atDelete, "|") != strings.Join(want, "|") {
			return fmt.Errorf("the export directory when the DELETEs arrived: %q, want %q", atDelete, want)
		}
		return nil
	}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			recs, err := records(dir)
			if err != nil {
				return err
			}
			r, ok := recs[id]
			obj, _ := r.Object.(map[string]any)
			limits, _ := obj["limits"].(map[string]any)
			switch {
			case !ok || len(recs) != 1:
				return fmt.Errorf("records after destroy: %+v", recs)
			case r.Result != exportDeleted || r.Kind != "agent" || r.ProviderVersion != "test" || r.FinishedAt == "":
				return fmt.Errorf("record: %+v", r)
			case obj["status"] != "ended" || obj["id"] != id || limits["invitations_max"] != float64(15):
				return fmt.Errorf("the record must hold the agent as last read and the limits sent: %v", obj)
			}
			return seen("pending record of "+id, "pending record of "+id)
		},
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("Kakiyo agent not ended"),
			},
			{
				// Refused at plan time: no DELETE, no record. Then Kakiyo's own
				// refusal at apply time (the agent stopped being ended after the
				// plan): the record was written, then removed.
				PreConfig: func() {
					if recs, err := records(dir); err == nil && len(recs) != 0 {
						t.Errorf("a destroy refused at plan time wrote %+v", recs)
					}
					srv.SetAgentStatus(id, "ended")
					mu.Lock()
					flip = true
					mu.Unlock()
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorRe("Kakiyo agent not ended", "HTTP status: 400"),
			},
			{
				PreConfig: func() {
					if recs, err := records(dir); err != nil || len(recs) != 0 {
						t.Errorf("the refused delete left %+v (%v)", recs, err)
					}
				},
				Config: config, PlanOnly: true,
			},
			{PreConfig: endAgents(t, srv, id), Config: config},
		},
	})
}

// A record that cannot be written stops the delete: no DELETE is sent.
func TestAccAgentResource_exportUnwritable(t *testing.T) {
	srv := kakiyotest.Start(t)
	file := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	id := kakiyotest.AgentID(1)
	bad := exportConfig(srv, filepath.Join(file, "exports"), 1)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             checkDestroyedWithOneDelete(srv, id),
		Steps: []resource.TestStep{
			{Config: bad},
			{
				PreConfig:   endAgents(t, srv, id),
				Config:      bad,
				Destroy:     true,
				ExpectError: errorRe("Kakiyo agent not deleted: export failed", `agent "`+id+`"`, "could not be written", "Nothing was sent to Kakiyo", "export_dir"),
			},
			{
				PreConfig: func() {
					if n := srv.Count("DELETE", "*"); n != 0 {
						t.Errorf("%d DELETE requests without a record", n)
					}
					srv.ResetRequests()
				},
				Config: exportConfig(srv, t.TempDir(), 1),
			},
			{PreConfig: srv.ResetRequests, Config: exportConfig(srv, t.TempDir(), 1)},
		},
	})
}

// 50 agents destroyed with Terraform's default -parallelism=10: 50
// complete records, one DELETE each.
func TestAccAgentResource_exportParallel(t *testing.T) {
	srv := kakiyotest.Start(t)
	dir := t.TempDir()
	config := exportConfig(srv, dir, 50)
	var ids []string
	for i := 1; i <= 50; i++ {
		ids = append(ids, kakiyotest.AgentID(i))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(checkDestroyedWithOneDelete(srv, ids...), func(*terraform.State) error {
			recs, err := records(dir)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if recs[id].Result != exportDeleted {
					return fmt.Errorf("record of %s: %+v", id, recs[id])
				}
			}
			if len(recs) != 50 {
				return fmt.Errorf("%d records, want 50", len(recs))
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: endAgents(t, srv, ids...), Config: config},
		},
	})
}
