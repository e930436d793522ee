package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// Unit tests of kakiyo_agent's plan logic: the destroy refusals, made from
// a status this run read (one read when the run has not read the agent and
// the state does not say "ended"), and the profile values a LinkedIn change
// makes unknown.
func TestAgentModifyPlan(t *testing.T) {
	ctx := context.Background()
	s := agentResourceSchema(t)
	typ := s.Type().TerraformType(ctx)
	liType := attrType(t, typ, "linkedin")
	linkedin := func(login string, version int64) tftypes.Value {
		return objectOf(liType, map[string]tftypes.Value{
			"login": str(login), "password_wo_version": tftypes.NewValue(tftypes.Number, version),
		})
	}
	agent := func(status string, protected bool, extra map[string]tftypes.Value) tftypes.Value {
		vals := map[string]tftypes.Value{
			"id": str("a1"), "status": str(status), "login": str("jane@example.com"), "name": str("Jane"),
			"deletion_protection": tftypes.NewValue(tftypes.Bool, protected),
		}
		if status == "" {
			vals["status"] = tftypes.NewValue(tftypes.String, nil)
		}
		for k, v := range extra {
			vals[k] = v
		}
		return objectOf(typ, vals)
	}
	none := tftypes.NewValue(typ, nil)

	cases := []struct {
		name        string
		state, plan tftypes.Value
		kakiyo      string // the agent's status in Kakiyo; "gone": not found; "fail": the read fails
		readBefore  bool   // this run read the agent already (its refresh)
		gets        int    // reads by id the plan makes
		summary     string
		details     []string
		unknown     []string // attributes the plan must leave unknown
	}{
		{name: "create", state: none, plan: agent("", false, nil)},
		{name: "destroy of an agent ended in state: the DELETE decides", state: agent("ended", false, nil), plan: none,
			kakiyo: "running"},
		{name: "destroy of a running agent this run read", state: agent("running", false, nil), plan: none,
			kakiyo: "running", readBefore: true,
			summary: "Kakiyo agent not ended",
			details: []string{`delete agent "a1"`, `its status is "running" (read by this run)`, "lifecycle { destroy = false }",
				"Terraform 1.16+, OpenTofu 1.12+", "removed block", "terraform state rm", `"Refresh-only runs"`}},
		{name: "destroy of an agent running in state, not read by this run, running in Kakiyo", state: agent("running", false, nil),
			plan: none, kakiyo: "running", gets: 1,
			summary: "Kakiyo agent not ended", details: []string{`its status is "running" (read by this run)`}},
		{name: "destroy of an agent running in state, not read by this run, paused in Kakiyo", state: agent("running", false, nil),
			plan: none, kakiyo: "paused", gets: 1,
			summary: "Kakiyo agent not ended", details: []string{`its status is "paused" (read by this run)`}},
		{name: "destroy of an agent running in state that Kakiyo has ended since", state: agent("running", false, nil),
			plan: none, kakiyo: "ended", gets: 1},
		{name: "destroy of an agent running in state that is gone from Kakiyo", state: agent("running", false, nil),
			plan: none, kakiyo: "gone", gets: 1},
		{name: "destroy of an agent running in state whose read fails", state: agent("running", false, nil),
			plan: none, kakiyo: "fail", gets: 1,
			summary: "Kakiyo API error", details: []string{"read the status of"}},
		{name: "destroy of a protected agent, ended or not", state: agent("ended", true, nil), plan: none,
			summary: "Kakiyo agent deletion protection enabled", details: []string{`agent "a1"`, "Kakiyo was not called"}},
		{name: "destroy of an agent whose status is not known yet", state: agent("", false, nil), plan: none},
		{name: "update without LinkedIn change",
			state: agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 1)}),
			plan:  agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 1)})},
		{name: "update that connects the account again",
			state:   agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 1)}),
			plan:    agent("running", false, map[string]tftypes.Value{"linkedin": linkedin("jane@example.com", 2)}),
			unknown: []string{"login", "country", "name", "avatar"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := resource.ModifyPlanRequest{
				State:  tfsdk.State{Schema: s, Raw: tc.state},
				Plan:   tfsdk.Plan{Schema: s, Raw: tc.plan},
				Config: tfsdk.Config{Schema: s, Raw: tc.plan},
			}
			resp := resource.ModifyPlanResponse{Plan: req.Plan}
			gets := 0
			reader := walk.NewReader(walk.ModeAuto, "agents", func(context.Context, func([]kakiyo.Agent) error) error {
				t.Error("listing agents for one agent")
				return nil
			}, func(_ context.Context, id string) (*kakiyo.Agent, error) {
				gets++
				switch tc.kakiyo {
				case "gone":
					return nil, &kakiyo.APIError{StatusCode: http.StatusNotFound, Code: "not_found", Message: "Agent not found"}
				case "fail":
					return nil, &kakiyo.APIError{StatusCode: http.StatusInternalServerError, Code: "internal_error", Message: "boom"}
				}
				return &kakiyo.Agent{ID: id, Status: tc.kakiyo}, nil
			}, func(a *kakiyo.Agent) string { return a.ID }, func(*kakiyo.Agent) bool { return true })
			reader.SetGather(time.Millisecond, 5*time.Millisecond)
			if tc.readBefore {
				if _, err := reader.Read(ctx, "a1"); err != nil {
					t.Fatal(err)
				}
				gets = 0
			}
			// The client proves that base_url is the Kakiyo API (its GET
			// /verify answers), so that a not_found counts as gone.
			(&agentResource{reader: reader, client: verifiedClient(t)}).ModifyPlan(ctx, req, &resp)
			wantDiag(t, resp.Diagnostics, tc.summary, tc.details...)
			if gets != tc.gets {
				t.Errorf("%d reads by id, want %d", gets, tc.gets)
			}
			for _, name := range []string{"login", "name"} {
				var v types.String
				resp.Plan.GetAttribute(ctx, path.Root(name), &v)
				wantUnknown := false
				for _, u := range tc.unknown {
					wantUnknown = wantUnknown || u == name
				}
				if !tc.plan.IsNull() && v.IsUnknown() != wantUnknown {
					t.Errorf("%s unknown = %v, want %v", name, v.IsUnknown(), wantUnknown)
				}
			}
		})
	}
}

// verifiedClient is a client whose base URL answers GET /verify as Kakiyo
// does (and nothing else), for unit tests that need a not_found to count as
// gone.
func verifiedClient(t *testing.T) *kakiyo.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/verify" {
			_, _ = w.Write([]byte(`{"status":"success","message":"API key is valid"}`))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := kakiyo.New(kakiyo.Config{BaseURL: srv.URL, APIKey: "k", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
