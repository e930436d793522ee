package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// objectCalls counts the API calls (credits) of each operation on the
// objects beside agents: a webhook, a do-not-contact entry, an agency
// setup (workspace, client, the agent assigned) and a campaign, refresh
// included where Terraform refreshes.
func objectCalls(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	product := s.AddProduct("Kakiyo Pro", "")
	prompt := s.AddPrompt("First touch", "invitation", "m")
	agent := s.AddAgent(kakiyotest.AgentSeed{Status: "running"})
	webhook := func(name string) string {
		return fmt.Sprintf("resource \"kakiyo_webhook\" \"w\" {\n  name   = %q\n  url    = \"https://crm.example.com/hook\"\n  events = [\"*\"]\n}\n", name)
	}
	dnc := "resource \"kakiyo_dnc_entry\" \"e\" {\n  url = \"in/jane-doe\"\n}\n"
	agency := fmt.Sprintf(`resource "kakiyo_workspace" "acme" {
  name = "Acme"
}

resource "kakiyo_workspace_client" "jane" {
  workspace_id = kakiyo_workspace.acme.id
  email        = "jane@acme.example"
}

resource "kakiyo_workspace_agent" "sdr" {
  workspace_id = kakiyo_workspace.acme.id
  agent_id     = %q
}
`, agent)
	campaign := func(name, paused string) string {
		return fmt.Sprintf(`resource "kakiyo_campaign" "c" {
  name       = %q
  agent_id   = %q
  product_id = %q
  prompt_id  = %q%s
}
`, name, agent, product, prompt, paused)
	}
	type row struct {
		op, note, config string
		args             []string
	}
	apply := []string{"apply", "-auto-approve"}
	rows := []row{
		{"webhook: create", "POST only: the answer is the webhook", webhook("CRM"), apply},
		{"webhook: refresh", "one listing serves every webhook of the run", webhook("CRM"), []string{"apply", "-refresh-only", "-auto-approve"}},
		{"webhook: update", "refresh + PUT", webhook("CRM 2"), apply},
		{"webhook: destroy", "refresh + DELETE", "", []string{"destroy", "-auto-approve"}},
		{"do-not-contact entry: create", "POST only", dnc, apply},
		{"do-not-contact entry: refresh", "one check (many entries share one listing)", dnc, []string{"apply", "-refresh-only", "-auto-approve"}},
		{"do-not-contact entry: destroy", "refresh + DELETE", "", []string{"destroy", "-auto-approve"}},
		{"agency setup: create", "workspace, invitation, assignment: one call each", agency, apply},
		{"agency setup: refresh", "one listing of workspaces serves all three, and the agent's one read", agency, []string{"apply", "-refresh-only", "-auto-approve"}},
		{"agency setup: destroy", "refresh + unassign, remove, delete", "", []string{"destroy", "-auto-approve"}},
		{"campaign: create", "POST only (its answer's id is all it needs)", campaign("Q4 push", ""), apply},
		{"campaign: update", "refresh (its analytics) + PUT", campaign("Q4 push, EMEA", ""), apply},
		{"campaign: pause", "refresh + pause", campaign("Q4 push, EMEA", "\n  paused     = true"), apply},
		{"campaign: destroy", "refresh + pause (Kakiyo cannot delete a campaign; this one is paused already: none)", "", []string{"destroy", "-auto-approve"}},
	}
	r.f("\n## API calls per operation, other objects (each call is a Kakiyo credit)\n\n| Operation | Calls | Detail | Note |\n|---|---:|---|---|\n")
	prev := ""
	for i, row := range rows {
		config := row.config
		if config == "" {
			config = prev
		}
		prev = config
		if err := sb.WriteFile("main.tf", providerConfig("")+config); err != nil {
			return err
		}
		calls, total, err := s.callsDuring(func() error { _, err := run(ctx, sb, row.args...); return err })
		if err != nil {
			return fmt.Errorf("row %d (%s): %w", i, row.op, err)
		}
		r.f("| %s | %d | %s | %s |\n", row.op, total, breakdown(calls), strings.TrimSpace(row.note))
	}
	return nil
}
