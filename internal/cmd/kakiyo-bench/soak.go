package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// soak runs rounds of apply and destroy of several agents while about
// faultRate of all requests get a random transient fault, and lostCreates
// of the creates lose their answer after Kakiyo created the agent, the way
// an unattended pipeline would meet them (a failed run is run again). After
// every run Kakiyo's agents and Terraform's state must agree, no agent may
// have been created twice, and no run may fail because a create's answer
// was lost.
func soak(ctx context.Context, o options, out io.Writer) error {
	if o.terraform == "" {
		return fmt.Errorf("no terraform on PATH; pass -terraform")
	}
	tmp, err := os.MkdirTemp("", "kakiyo-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, err := sandbox.BuildProvider(ctx, o.repo, filepath.Join(tmp, "bin"))
	if err != nil {
		return err
	}
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	s.SetRandomFaults(o.faultRate, o.seed)
	s.SetLostCreateAnswers(o.lostCreates)
	product := s.AddProduct("Kakiyo Pro", "")
	prompt := s.AddPrompt("First touch", "invitation", "m")
	// Each round, beside the agents: a webhook each, a client workspace
	// with them assigned, a campaign each (paused, not deleted, by the
	// destroy), and a do-not-contact list.
	config := providerConfig(`  max_retries         = 8
  retry_wait_min      = "10ms"
  retry_wait_max      = "200ms"
  requests_per_minute = 0`) + fmt.Sprintf(`resource "kakiyo_agent" "a" {
  count = %[1]d
  working_hours = {
    start = "08:00"
  }
  limits = {
    messages_max = 40
  }
}

resource "kakiyo_webhook" "w" {
  count  = %[1]d
  name   = "hook-${count.index}"
  url    = "https://crm.example.com/hook/${count.index}"
  events = ["*"]
}

resource "kakiyo_workspace" "ws" {
  name = "Acme"
}

resource "kakiyo_workspace_agent" "wa" {
  count        = %[1]d
  workspace_id = kakiyo_workspace.ws.id
  agent_id     = kakiyo_agent.a[count.index].id
}

resource "kakiyo_campaign" "c" {
  count      = %[1]d
  name       = "Campaign ${count.index}"
  agent_id   = kakiyo_agent.a[count.index].id
  product_id = %[2]q
  prompt_id  = %[3]q
}

resource "kakiyo_dnc_list" "d" {
  urls = [for i in range(50) : "in/customer-${i}"]
}
`, o.agents, product, prompt)
	if err := sb.WriteFile("main.tf", config); err != nil {
		return err
	}

	const tries = 6
	var applies, applyFailures, destroys, destroyFailures int
	runUntilOK := func(args ...string) (int, error) {
		var last error
		for i := 1; i <= tries; i++ {
			if _, last = run(ctx, sb, args...); last == nil {
				return i - 1, nil
			}
			summary := errorSummaries(last.Error())
			if strings.Contains(summary, "Kakiyo may have created") || strings.Contains(summary, "Kakiyo agent not created") {
				return i, fmt.Errorf("a run failed because a create's answer was lost: %s", summary)
			}
			fmt.Fprintf(out, "  terraform %s failed, run again: %s\n", args[0], summary)
			if os.Getenv("SOAK_DEBUG") != "" {
				fmt.Fprintln(out, last)
			}
		}
		return tries, fmt.Errorf("still failing after %d runs: %w", tries, last)
	}
	for round := 1; round <= o.rounds; round++ {
		failed, err := runUntilOK("apply", "-auto-approve", "-parallelism=10")
		applies += failed + 1
		applyFailures += failed
		if err != nil {
			return fmt.Errorf("round %d apply: %w", round, err)
		}
		if err := agree(ctx, sb, s, o.agents); err != nil {
			return fmt.Errorf("round %d after apply: %w", round, err)
		}
		s.endAll()
		failed, err = runUntilOK("destroy", "-auto-approve", "-parallelism=10")
		destroys += failed + 1
		destroyFailures += failed
		if err != nil {
			return fmt.Errorf("round %d destroy: %w", round, err)
		}
		if err := agree(ctx, sb, s, 0); err != nil {
			return fmt.Errorf("round %d after destroy: %w", round, err)
		}
		fmt.Fprintf(out, "round %d/%d: ok (%d failed runs so far)\n", round, o.rounds, applyFailures+destroyFailures)
	}
	st := s.Stats()
	fmt.Fprintf(out, "\nSoak: %d rounds of %d agents, fault rate %.0f%%\n", o.rounds, o.agents, o.faultRate*100)
	fmt.Fprintf(out, "  API requests           %d\n", st.Requests)
	fmt.Fprintf(out, "  random faults injected %d\n", st.RandomFaults)
	fmt.Fprintf(out, "  create answers lost    %d (after Kakiyo created the agent)\n", st.LostCreateAnswers)
	fmt.Fprintf(out, "  terraform apply runs   %d (%d failed and were run again)\n", applies, applyFailures)
	fmt.Fprintf(out, "  terraform destroy runs %d (%d failed and were run again)\n", destroys, destroyFailures)
	fmt.Fprintf(out, "  agents created         %d (want %d: none twice)\n", st.Created["agent"], o.rounds*o.agents)
	fmt.Fprintf(out, "  agents deleted         %d\n", st.Deleted["agent"])
	fmt.Fprintf(out, "  agents left in Kakiyo  %d, in the state 0\n", len(s.AgentIDs()))
	fmt.Fprintf(out, "  webhooks, workspaces, campaigns created %d, %d, %d (want %d, %d, %d: none twice)\n",
		st.Created["webhook"], st.Created["workspace"], st.Created["campaign"], o.rounds*o.agents, o.rounds, o.rounds*o.agents)
	fmt.Fprintf(out, "  do-not-contact entries listed %d, removed %d, left %d\n", st.Created["dnc"], st.Deleted["dnc"], len(s.DNCURLs()))
	for kind, want := range map[string]int{"agent": o.rounds * o.agents, "webhook": o.rounds * o.agents,
		"workspace": o.rounds, "campaign": o.rounds * o.agents} {
		if st.Created[kind] != want {
			return fmt.Errorf("%d %ss created for %d wanted: one was created twice", st.Created[kind], kind, want)
		}
	}
	if n := len(s.DNCURLs()); n != 0 || s.WebhookCount() != 0 || s.WorkspaceCount() != 0 {
		return fmt.Errorf("left in Kakiyo: %d DNC entries, %d webhooks, %d workspaces", n, s.WebhookCount(), s.WorkspaceCount())
	}
	if o.concurrent > 0 {
		fmt.Fprintln(out)
		return soakConcurrent(ctx, o, bin, out)
	}
	return nil
}

// agree checks that Terraform's state and the simulator hold the same
// agents, want of them, and as many webhooks and active campaigns.
func agree(ctx context.Context, sb *sandbox.Sandbox, s *sim, want int) error {
	r := sb.Run(ctx, "show", "-json")
	if r.Err != nil {
		return r.Err
	}
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string `json:"type"`
					Values struct {
						ID string `json:"id"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(r.Output), &st); err != nil {
		return fmt.Errorf("reading the state: %w", err)
	}
	var inState []string
	webhooks, campaigns := 0, 0
	for _, res := range st.Values.RootModule.Resources {
		switch res.Type {
		case "kakiyo_agent":
			inState = append(inState, res.Values.ID)
		case "kakiyo_webhook":
			webhooks++
		case "kakiyo_campaign":
			if c, ok := s.Campaign(res.Values.ID); !ok || c.Status != "active" {
				return fmt.Errorf("campaign %s of the state: %+v in Kakiyo", res.Values.ID, c)
			}
			campaigns++
		}
	}
	if webhooks != s.WebhookCount() || webhooks != want || campaigns != want {
		return fmt.Errorf("state has %d webhooks and %d campaigns, Kakiyo %d webhooks (want %d each)", webhooks, campaigns, s.WebhookCount(), want)
	}
	sort.Strings(inState)
	inKakiyo := s.AgentIDs()
	if strings.Join(inState, ",") != strings.Join(inKakiyo, ",") || len(inState) != want {
		return fmt.Errorf("state has %v, Kakiyo has %v (want %d)", inState, inKakiyo, want)
	}
	return nil
}

// errorSummaries returns the "Error: ..." lines of Terraform's output.
func errorSummaries(output string) string {
	var sums []string
	for _, l := range strings.Split(output, "\n") {
		if l = strings.TrimSpace(strings.TrimLeft(l, "│╷╵ ")); strings.HasPrefix(l, "Error: ") {
			sums = append(sums, strings.TrimPrefix(l, "Error: "))
		}
	}
	if len(sums) == 0 {
		return "(no error summary)"
	}
	return strings.Join(sums, "; ")
}
