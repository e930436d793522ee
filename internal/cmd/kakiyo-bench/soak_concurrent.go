package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// soakConcurrent runs rounds in which two Terraform runs (two working
// directories, two states: two pipelines) apply agents at the same time
// with one API key, while lostCreates of the creates lose their answer
// after Kakiyo made the agent, and both use adopt_lost_creates = false.
// After every round:
//   - no agent is in both states (two runs never manage one agent);
//   - every agent Kakiyo has is in exactly one state, or is named as a
//     candidate by a run that failed (nothing forgotten). A candidate may be
//     in the other run's state: that run made it, which is why the failed run
//     could not tell it from its own and adopted none;
//   - each run, run again after it failed, converges (the user imports
//     nothing here: the candidates in no state are removed through the back
//     door, as a person would after checking them in the dashboard; those in
//     a state are the other run's, and stay).
func soakConcurrent(ctx context.Context, o options, bin string, out io.Writer) error {
	s, err := startSim()
	if err != nil {
		return err
	}
	defer s.close()
	s.SetLostCreateAnswers(o.lostCreates)
	config := providerConfig(`  adopt_lost_creates = false
  retry_wait_min     = "10ms"
  retry_wait_max     = "200ms"
  requests_per_minute = 0`) + fmt.Sprintf(`resource "kakiyo_agent" "a" {
  count = %d
}
`, o.agents)
	runs := make([]*sandbox.Sandbox, 2)
	for i := range runs {
		sb, err := newSandbox(o, bin, s)
		if err != nil {
			return err
		}
		defer sb.Close()
		if err := sb.WriteFile("main.tf", config); err != nil {
			return err
		}
		runs[i] = sb
	}
	candidateRe := regexp.MustCompile(`id = "([a-z0-9]+)"`)
	var failedRuns, candidatesSeen int
	for round := 1; round <= o.concurrent; round++ {
		for attempt := 1; ; attempt++ {
			outputs := make([]string, len(runs))
			errs := make([]error, len(runs))
			var wg sync.WaitGroup
			for i, sb := range runs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := sb.Run(ctx, "apply", "-auto-approve", "-no-color", "-parallelism=10")
					outputs[i], errs[i] = r.Output, r.Err
				}()
			}
			wg.Wait()
			states := make([]map[string]bool, len(runs))
			for i, sb := range runs {
				if states[i], err = agentsInState(ctx, sb); err != nil {
					return err
				}
			}
			named := map[string]bool{}
			for i := range runs {
				if errs[i] == nil {
					continue
				}
				failedRuns++
				summary := errorSummaries(outputs[i])
				if !strings.Contains(summary, "Kakiyo may have created an agent") {
					return fmt.Errorf("concurrent round %d: run %d failed for another reason: %s", round, i+1, summary)
				}
				for _, m := range candidateRe.FindAllStringSubmatch(outputs[i], -1) {
					named[m[1]] = true
				}
			}
			for id := range states[0] {
				if states[1][id] {
					return fmt.Errorf("concurrent round %d: agent %s is in both states: two runs manage it", round, id)
				}
			}
			orphans := []string{}
			for _, id := range s.AgentIDs() {
				in := states[0][id] || states[1][id]
				switch {
				case !in && !named[id]:
					return fmt.Errorf("concurrent round %d: agent %s is in Kakiyo, in no state and named by no run: forgotten", round, id)
				case !in:
					orphans = append(orphans, id)
				}
			}
			if len(named) == 0 {
				if n := len(states[0]) + len(states[1]); n != 2*o.agents {
					return fmt.Errorf("concurrent round %d: %d agents in the states, want %d", round, n, 2*o.agents)
				}
				break
			}
			// The person who runs the pipelines checks the candidates in the
			// dashboard and removes those that no state has; both runs are run
			// again.
			candidatesSeen += len(named)
			for _, id := range orphans {
				s.RemoveAgent(id)
			}
			if attempt == 6 {
				return fmt.Errorf("concurrent round %d: still failing after %d attempts", round, attempt)
			}
		}
		s.endAll()
		for _, sb := range runs {
			if _, err := run(ctx, sb, "destroy", "-auto-approve"); err != nil {
				return fmt.Errorf("concurrent round %d destroy: %w", round, err)
			}
		}
		if left := s.AgentIDs(); len(left) != 0 {
			return fmt.Errorf("concurrent round %d: agents left after both destroys: %v", round, left)
		}
		fmt.Fprintf(out, "concurrent round %d/%d: ok\n", round, o.concurrent)
	}
	fmt.Fprintf(out, "\nConcurrent soak: %d rounds, two runs of %d agents at once on one key, adopt_lost_creates = false\n",
		o.concurrent, o.agents)
	fmt.Fprintf(out, "  create answers lost    %d (after Kakiyo created the agent)\n", s.Stats().LostCreateAnswers)
	fmt.Fprintf(out, "  runs that named candidates and adopted none: %d (%d candidates)\n", failedRuns, candidatesSeen)
	fmt.Fprintf(out, "  agents in both states  0\n")
	return nil
}

// agentsInState returns the ids of the kakiyo_agent resources of sb's state.
func agentsInState(ctx context.Context, sb *sandbox.Sandbox) (map[string]bool, error) {
	r := sb.Run(ctx, "show", "-json")
	if r.Err != nil {
		return nil, r.Err
	}
	var st struct {
		Values *struct {
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
		return nil, fmt.Errorf("reading the state: %w", err)
	}
	ids := map[string]bool{}
	if st.Values == nil {
		return ids, nil
	}
	for _, res := range st.Values.RootModule.Resources {
		if res.Type == "kakiyo_agent" {
			ids[res.Values.ID] = true
		}
	}
	return ids, nil
}
