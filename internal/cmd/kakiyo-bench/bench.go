package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

func bench(ctx context.Context, o options, stdout io.Writer) error {
	if o.terraform == "" {
		return fmt.Errorf("no terraform on PATH; pass -terraform")
	}
	tmp, err := os.MkdirTemp("", "kakiyo-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintln(os.Stderr, "building the provider...")
	bin, err := sandbox.BuildProvider(ctx, o.repo, filepath.Join(tmp, "bin"))
	if err != nil {
		return err
	}
	if o.baseline, err = sandbox.BuildBinary(ctx, o.repo, "./internal/cmd/baseline-provider",
		"terraform-provider-baseline", filepath.Join(tmp, "baseline")); err != nil {
		return err
	}
	var buf bytes.Buffer
	r := report{w: io.MultiWriter(stdout, &buf)}
	r.f("# Benchmarks\n\n%s, %s.\n\nMachine: %s.\n", "make bench", time.Now().UTC().Format("2006-01-02"), machine(o.terraform))

	steps := []struct {
		name string
		fn   func(context.Context, options, string, report) error
	}{
		{"API calls per operation", callsPerOperation},
		{"API calls of the other objects", objectCalls},
		{"wall time", wallTime},
		{"plan and destroy under a rate limit", limitedRuns},
		{"shared key", sharedKey},
		{"do-not-contact list", dncList},
		{"kakiyo_agents memory", listMemory},
		{"Go benchmarks", goBenchmarks},
	}
	for _, s := range steps {
		if o.only != "" && !strings.Contains(s.name, o.only) {
			continue
		}
		fmt.Fprintf(os.Stderr, "measuring: %s...\n", s.name)
		if err := s.fn(ctx, o, bin, r); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if o.out != "" && o.only == "" {
		if err := os.MkdirAll(filepath.Dir(o.out), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "report written to %s\n", o.out)
	}
	return nil
}

// callsPerOperation counts the API calls (credits) of each operation on one
// agent, refresh included where Terraform refreshes.
func callsPerOperation(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	plain := providerConfig("") + "resource \"kakiyo_agent\" \"a\" {}\n"
	changed := providerConfig("") + "resource \"kakiyo_agent\" \"a\" {\n  working_hours = {\n    start = \"10:00\"\n  }\n}\n"
	full := providerConfig("") + `resource "kakiyo_agent" "a" {
  paused           = true
  skip_in_network  = true
  invitations_only = false
  working_hours = {
    days  = "1:1:1:1:1:0:0"
    start = "09:00"
    stop  = "17:00"
  }
  limits = {
    invitations_min = 5
    invitations_max = 20
  }
}
`
	type row struct {
		op, note string
		config   string
		args     []string
		before   func()
	}
	rows := []row{
		{"create, no settings", "the listing that finds an agent whose create answer is lost, once per run that creates; POST answers with the whole agent: no read-back", plain, []string{"apply", "-auto-approve"}, nil},
		{"refresh", "terraform apply -refresh-only", plain, []string{"apply", "-refresh-only", "-auto-approve"}, nil},
		{"update one section", "refresh + PUT (a PUT changes only what it sends: no read-back)", changed, []string{"apply", "-auto-approve"}, nil},
		{"destroy", "refresh + DELETE (the destroy itself: 1)", changed, []string{"destroy", "-auto-approve"}, s.endAll},
		{"destroy, -refresh=false", "DELETE only (state refreshed beforehand)", plain, []string{"destroy", "-auto-approve", "-refresh=false"}, nil},
		{"create with every setting", "listing + POST + PUT + pause + read-back", full, []string{"apply", "-auto-approve"}, nil},
	}
	r.f("\n## API calls per operation (one agent; each call is a Kakiyo credit)\n\n| Operation | Calls | Detail | Note |\n|---|---:|---|---|\n")
	for i, row := range rows {
		if row.op == "destroy, -refresh=false" {
			// a fresh agent to destroy
			if err := sb.WriteFile("main.tf", plain); err != nil {
				return err
			}
			if _, err := run(ctx, sb, "apply", "-auto-approve"); err != nil {
				return err
			}
			// The state knows the agent ended, so the destroy is its DELETE
			// alone (with the old status in the state, the destroy plan
			// would read the agent once first).
			s.endAll()
			if _, err := run(ctx, sb, "apply", "-refresh-only", "-auto-approve"); err != nil {
				return err
			}
		}
		if err := sb.WriteFile("main.tf", row.config); err != nil {
			return err
		}
		if row.before != nil {
			row.before()
		}
		calls, total, err := s.callsDuring(func() error { _, err := run(ctx, sb, row.args...); return err })
		if err != nil {
			return fmt.Errorf("row %d (%s): %w", i, row.op, err)
		}
		r.f("| %s | %d | %s | %s |\n", row.op, total, breakdown(calls), row.note)
	}
	return nil
}

// wallTime compares apply, refresh and destroy of N agents with the same
// runs over N resources of the baseline provider (a framework provider whose
// resource does nothing: the plugin's own cost) and of terraform_data
// (Terraform's built-in resource: no plugin at all).
func wallTime(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	s.SetLatency(o.latency)
	par := fmt.Sprintf("-parallelism=%d", o.parallelism)
	once := func(config string, ended func()) ([3]time.Duration, error) {
		var d [3]time.Duration
		if err := sb.WriteFile("main.tf", config); err != nil {
			return d, err
		}
		var err error
		if d[0], err = run(ctx, sb, "apply", "-auto-approve", par); err != nil {
			return d, err
		}
		if d[1], err = run(ctx, sb, "apply", "-refresh-only", "-auto-approve", par); err != nil {
			return d, err
		}
		if ended != nil {
			// Kakiyo ends the agents; a refresh (not timed) records it, so
			// that the timed destroy, like the baseline's, has no drift to
			// compute and show.
			ended()
			if _, err = run(ctx, sb, "apply", "-refresh-only", "-auto-approve", par); err != nil {
				return d, err
			}
		}
		d[2], err = run(ctx, sb, "destroy", "-auto-approve", par)
		return d, err
	}
	// Each set of runs is repeated, and the median of each run kept: on a
	// small machine a single run varies by a few tenths of a second. The
	// providers take turns, so that a slow spell of the machine does not
	// fall on one of them only.
	baseline := `terraform {
  required_providers {
    baseline = {
      source = "kakiyo/baseline"
    }
  }
}
`
	sets := []struct {
		config string
		ended  func()
	}{
		{providerConfig(`  requests_per_minute = 0`) + fmt.Sprintf("resource \"kakiyo_agent\" \"a\" {\n  count = %d\n}\n", o.n), s.endAll},
		{baseline + fmt.Sprintf("resource \"baseline_agent\" \"a\" {\n  count = %d\n}\n", o.n), nil},
		{baseline + fmt.Sprintf("resource \"baseline_item\" \"a\" {\n  count = %d\n  input = count.index\n}\n", o.n), nil},
		{fmt.Sprintf("resource \"terraform_data\" \"a\" {\n  count = %d\n  input = count.index\n}\n", o.n), nil},
	}
	all := make([][3][]time.Duration, len(sets))
	stop := watchRSS()
	for rep := 0; rep < max(o.reps, 1); rep++ {
		for i, set := range sets {
			d, err := once(set.config, set.ended)
			if err != nil {
				stop()
				return err
			}
			for j := range d {
				all[i][j] = append(all[i][j], d[j])
			}
		}
	}
	rss := stop()
	median := func(i int) [3]time.Duration {
		var med [3]time.Duration
		for j := range all[i] {
			slices.Sort(all[i][j])
			med[j] = all[i][j][len(all[i][j])/2]
		}
		return med
	}
	k, b, bi, td := median(0), median(1), median(2), median(3)
	r.f("\n## Wall time, %d agents, -parallelism=%d, API latency %s (median of %d)\n\n", o.n, o.parallelism, o.latency, max(o.reps, 1))
	r.f("Next to the same runs over %d resources of a baseline provider (`internal/cmd/baseline-provider`, the "+
		"smallest terraform-plugin-framework provider, whose resources call no API): `baseline_agent` has "+
		"kakiyo_agent's schema and fills its computed values, so Terraform handles states of the same shape and "+
		"size, and the ratio is the provider's own cost (its API calls, on loopback, and its code); "+
		"`baseline_item` has two attributes. Both providers leave their logs off when no `TF_LOG*` variable "+
		"is set. And over %d "+
		"`terraform_data` (built into Terraform: no plugin at all). The client-side rate limit is off here "+
		"(`requests_per_minute = 0`), to measure the provider itself.\n\n", o.n, o.n)
	r.f("| Run | kakiyo_agent | baseline_agent | Ratio | baseline_item | Ratio | terraform_data |\n")
	r.f("|---|---:|---:|---:|---:|---:|---:|\n")
	for i, name := range []string{"apply (create)", "refresh", "destroy"} {
		r.f("| %s | %s | %s | %.2f | %s | %.2f | %s |\n", name, secs(k[i]), secs(b[i]), k[i].Seconds()/b[i].Seconds(),
			secs(bi[i]), k[i].Seconds()/bi[i].Seconds(), secs(td[i]))
	}
	r.f("\nPeak resident memory of the provider process over these runs: **%.1f MiB**.\n", float64(rss)/(1<<20))
	return nil
}

// measured is one Terraform run against the simulator: its wall time, the
// API calls it made by endpoint, and the simulator's 429s.
type measured struct {
	d     time.Duration
	calls map[string]int
	total int
	r429  int
	err   error
}

func measureRun(ctx context.Context, s *sim, sb *sandbox.Sandbox, args ...string) measured {
	var m measured
	limited := s.Stats().RateLimited
	m.calls, m.total, m.err = s.callsDuring(func() (err error) {
		m.d, err = run(ctx, sb, args...)
		return err
	})
	m.r429 = s.Stats().RateLimited - limited
	return m
}

// limitedRuns plans and destroys N agents, refresh included, while the
// simulator enforces R requests per minute per endpoint with 429s and adds
// latency, with the provider's default settings (requests_per_minute = 60).
func limitedRuns(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	par := fmt.Sprintf("-parallelism=%d", o.parallelism)
	resources := fmt.Sprintf("resource \"kakiyo_agent\" \"a\" {\n  count = %d\n}\n", o.bulkN)
	// Setup, without limits.
	if err := sb.WriteFile("main.tf", providerConfig(`  requests_per_minute = 0`)+resources); err != nil {
		return err
	}
	if _, err := run(ctx, sb, "apply", "-auto-approve", par); err != nil {
		return err
	}
	if err := sb.WriteFile("main.tf", providerConfig("")+resources); err != nil {
		return err
	}
	s.SetLatency(o.limitLatency)
	type row struct {
		name  string
		m     measured
		floor time.Duration
	}
	var rows []row
	s.SetRateLimit(o.bulkRPM) // a fresh window
	rows = append(rows, row{name: "`terraform plan`, fresh rate window", m: measureRun(ctx, s, sb, "plan", par)})
	rows = append(rows, row{name: "the same plan right after", m: measureRun(ctx, s, sb, "plan", par)})
	rows = append(rows, row{name: "`terraform plan -parallelism=1`", m: measureRun(ctx, s, sb, "plan", "-parallelism=1")})
	s.endAll()
	s.SetRateLimit(o.bulkRPM) // a fresh window
	window := time.Duration(math.Floor(float64(o.bulkN-1)/float64(o.bulkRPM))) * time.Minute
	rows = append(rows, row{name: "`terraform destroy` of the ended agents, fresh rate window",
		m: measureRun(ctx, s, sb, "destroy", "-auto-approve", par), floor: window})
	left := len(s.AgentIDs())

	r.f("\n## Plan and destroy of %d agents under %d requests per minute\n\n", o.bulkN, o.bulkRPM)
	r.f("The simulator answers 429 past %d requests a minute per endpoint and adds %s of latency; the provider "+
		"runs with its defaults. Every run refreshes. The window floor of a destroy is the least time any client "+
		"needs for its DELETEs: %d go at once, the next ones a minute later.\n\n", o.bulkRPM, o.limitLatency, o.bulkRPM)
	r.f("| Run | Wall time | API calls | Detail | 429s | Window floor | Ratio |\n|---|---:|---:|---|---:|---:|---:|\n")
	failed := 0
	for _, row := range rows {
		floor, ratio := "-", "-"
		if row.floor > 0 {
			floor, ratio = secs(row.floor), fmt.Sprintf("%.2f", row.m.d.Seconds()/row.floor.Seconds())
		}
		status := ""
		if row.m.err != nil {
			status, failed = " (failed)", failed+1
		}
		r.f("| %s%s | %s | %d | %s | %d | %s | %s |\n", row.name, status, secs(row.m.d), row.m.total,
			breakdown(row.m.calls), row.m.r429, floor, ratio)
	}
	r.f("\nFailed runs: %d. Agents left in Kakiyo after the destroy: %d.\n", failed, left)
	for _, row := range rows {
		if row.m.err != nil {
			return row.m.err
		}
	}
	return nil
}

// sharedKey runs several terraform plans at once, each in its own working
// directory with its own agents, all on one API key (one Kakiyo team), as
// HCP Terraform, Atlantis or CI do; each run has its own provider process
// and so its own client-side limiter.
func sharedKey(ctx context.Context, o options, bin string, r report) error {
	s, err := startSim()
	if err != nil {
		return err
	}
	defer s.close()
	par := fmt.Sprintf("-parallelism=%d", o.parallelism)
	resources := fmt.Sprintf("resource \"kakiyo_agent\" \"a\" {\n  count = %d\n}\n", o.sharedN)
	var sbs []*sandbox.Sandbox
	defer func() {
		for _, sb := range sbs {
			_ = sb.Close()
		}
	}()
	for i := 0; i < o.sharedRuns; i++ {
		sb, err := newSandbox(o, bin, s)
		if err != nil {
			return err
		}
		sbs = append(sbs, sb)
		if err := sb.WriteFile("main.tf", providerConfig(`  requests_per_minute = 0`)+resources); err != nil {
			return err
		}
		if _, err := run(ctx, sb, "apply", "-auto-approve", par); err != nil {
			return err
		}
		if err := sb.WriteFile("main.tf", providerConfig("")+resources); err != nil {
			return err
		}
	}
	s.SetLatency(o.limitLatency)
	s.SetRateLimit(o.bulkRPM)
	limited := s.Stats().RateLimited
	results := make([]sandbox.Result, len(sbs))
	start := time.Now()
	calls, n, _ := s.callsDuring(func() error {
		var wg sync.WaitGroup
		for i, sb := range sbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = sb.Run(ctx, "plan", par, "-no-color")
			}()
		}
		wg.Wait()
		return nil
	})
	total := time.Since(start)
	r.f("\n## %d plans at once on one API key\n\n", o.sharedRuns)
	r.f("%d working directories of %d agents each (%d agents in the team), one key, `terraform plan %s` in all at "+
		"once; the simulator enforces %d requests per minute per endpoint with %s of latency.\n\n",
		o.sharedRuns, o.sharedN, o.sharedRuns*o.sharedN, par, o.bulkRPM, o.limitLatency)
	r.f("| Run | Wall time | Result |\n|---|---:|---|\n")
	var failed error
	for i, res := range results {
		status := "ok"
		if res.Err != nil {
			status, failed = "failed", res.Err
		}
		r.f("| %d | %s | %s |\n", i+1, secs(res.Duration), status)
	}
	r.f("\nAll together: %s, %d API calls (%s), %d answered 429.\n", secs(total), n, breakdown(calls),
		s.Stats().RateLimited-limited)
	return failed
}

// listMemory reads kakiyo_agents over many agents and records the
// provider's peak memory.
func listMemory(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	for i := 0; i < o.listN; i++ {
		s.AddAgent(kakiyotest.AgentSeed{Status: []string{"running", "ended", "paused"}[i%3]})
	}
	config := providerConfig("") + `data "kakiyo_agents" "all" {}

data "kakiyo_agents" "ended" {
  status = "ended"
}

output "counts" {
  value = [length(data.kakiyo_agents.all.ids), length(data.kakiyo_agents.ended.ids)]
}
`
	if err := sb.WriteFile("main.tf", config); err != nil {
		return err
	}
	stop := watchRSS()
	d, err := run(ctx, sb, "apply", "-auto-approve")
	rss := stop()
	if err != nil {
		return err
	}
	r.f("\n## kakiyo_agents over %d agents\n\n", o.listN)
	r.f("Two data sources (all, and `status = \"ended\"`), one `terraform apply`: %s, peak resident memory of the "+
		"provider process **%.1f MiB**.\n", secs(d), float64(rss)/(1<<20))
	return nil
}

func goBenchmarks(ctx context.Context, o options, _ string, r report) error {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", "./internal/kakiyo")
	cmd.Dir = o.repo
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	r.f("\n## Go benchmarks of the client (request and decode path)\n\n```text\n")
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			r.f("%s\n", l)
		}
	}
	r.f("```\n")
	return nil
}
