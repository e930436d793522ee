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
	"strings"
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
	var buf bytes.Buffer
	r := report{w: io.MultiWriter(stdout, &buf)}
	r.f("# Benchmarks\n\n%s, %s.\n\nMachine: %s.\n", "make bench", time.Now().UTC().Format("2006-01-02"), machine(o.terraform))

	steps := []struct {
		name string
		fn   func(context.Context, options, string, report) error
	}{
		{"API calls per operation", callsPerOperation},
		{"wall time", wallTime},
		{"bulk destroy under a rate limit", bulkDestroy},
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
		{"create, no settings", "POST answers with the whole agent: no read-back", plain, []string{"apply", "-auto-approve"}, nil},
		{"refresh", "terraform apply -refresh-only", plain, []string{"apply", "-refresh-only", "-auto-approve"}, nil},
		{"update one section", "refresh + PUT (a PUT changes only what it sends: no read-back)", changed, []string{"apply", "-auto-approve"}, nil},
		{"destroy", "refresh + DELETE (the destroy itself: 1)", changed, []string{"destroy", "-auto-approve"}, s.endAll},
		{"destroy, -refresh=false", "DELETE only (state refreshed beforehand)", plain, []string{"destroy", "-auto-approve", "-refresh=false"}, nil},
		{"create with every setting", "POST + PUT + pause + read-back", full, []string{"apply", "-auto-approve"}, nil},
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
			// The state must know the agent ended: without a refresh, the
			// destroy plan would (rightly) refuse from the old status.
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
// runs over N terraform_data resources (Terraform's own cost per resource).
func wallTime(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	s.SetLatency(o.latency)
	par := fmt.Sprintf("-parallelism=%d", o.parallelism)
	measure := func(config string, ended func()) ([3]time.Duration, int64, error) {
		var d [3]time.Duration
		if err := sb.WriteFile("main.tf", config); err != nil {
			return d, 0, err
		}
		stop := watchRSS()
		var err error
		if d[0], err = run(ctx, sb, "apply", "-auto-approve", par); err != nil {
			stop()
			return d, 0, err
		}
		if d[1], err = run(ctx, sb, "apply", "-refresh-only", "-auto-approve", par); err != nil {
			stop()
			return d, 0, err
		}
		if ended != nil {
			ended()
		}
		d[2], err = run(ctx, sb, "destroy", "-auto-approve", par)
		return d, stop(), err
	}
	agents := providerConfig(`  requests_per_minute = 0`) + fmt.Sprintf("resource \"kakiyo_agent\" \"a\" {\n  count = %d\n}\n", o.n)
	k, rss, err := measure(agents, s.endAll)
	if err != nil {
		return err
	}
	data := fmt.Sprintf("resource \"terraform_data\" \"a\" {\n  count = %d\n  input = count.index\n}\n", o.n)
	base, _, err := measure(data, nil)
	if err != nil {
		return err
	}
	r.f("\n## Wall time, %d agents, -parallelism=%d, API latency %s\n\n", o.n, o.parallelism, o.latency)
	r.f("Next to the same runs over %d `terraform_data` resources (no API at all). The client-side rate limit is off "+
		"here (`requests_per_minute = 0`), to measure the provider itself.\n\n", o.n)
	r.f("| Run | kakiyo_agent | terraform_data | Ratio |\n|---|---:|---:|---:|\n")
	for i, name := range []string{"apply (create)", "refresh", "destroy"} {
		r.f("| %s | %s | %s | %.2f |\n", name, secs(k[i]), secs(base[i]), k[i].Seconds()/base[i].Seconds())
	}
	r.f("\nPeak resident memory of the provider process over these runs: **%.1f MiB**.\n", float64(rss)/(1<<20))
	return nil
}

// bulkDestroy deletes N ended agents while the simulator enforces R
// requests per minute per endpoint with 429s, and the provider's own limit
// is set to R.
func bulkDestroy(ctx context.Context, o options, bin string, r report) error {
	s, sb, done, err := newEnv(o, bin)
	if err != nil {
		return err
	}
	defer done()
	par := fmt.Sprintf("-parallelism=%d", o.parallelism)
	create := providerConfig(`  requests_per_minute = 0`) + fmt.Sprintf("resource \"kakiyo_agent\" \"a\" {\n  count = %d\n}\n", o.bulkN)
	if err := sb.WriteFile("main.tf", create); err != nil {
		return err
	}
	if _, err := run(ctx, sb, "apply", "-auto-approve", par); err != nil {
		return err
	}
	s.endAll()
	if _, err := run(ctx, sb, "apply", "-refresh-only", "-auto-approve", par); err != nil {
		return err
	}
	s.SetRateLimit(o.bulkRPM)
	limited := providerConfig(fmt.Sprintf("  requests_per_minute = %d", o.bulkRPM)) +
		fmt.Sprintf("resource \"kakiyo_agent\" \"a\" {\n  count = %d\n}\n", o.bulkN)
	if err := sb.WriteFile("main.tf", limited); err != nil {
		return err
	}
	before := s.Stats()
	d, err := run(ctx, sb, "destroy", "-auto-approve", "-refresh=false", par)
	failures := 0
	if err != nil {
		failures = 1
	}
	after := s.Stats()
	left := len(s.AgentIDs())
	floor := time.Duration(float64(o.bulkN) / float64(o.bulkRPM) * float64(time.Minute))
	window := time.Duration(math.Floor(float64(o.bulkN-1)/float64(o.bulkRPM))) * time.Minute
	r.f("\n## Bulk destroy of %d agents under a limit of %d requests per minute\n\n", o.bulkN, o.bulkRPM)
	r.f("The simulator answers 429 past the limit; the provider's `requests_per_minute` is set to the same "+
		"value. `terraform destroy -refresh=false %s`.\n\n", par)
	r.f("| Wall time | Floor N/R | Ratio | Window floor | Ratio | DELETEs | 429s | Failed runs | Agents left |\n")
	r.f("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	ratioWindow := "n/a"
	if window > 0 {
		ratioWindow = fmt.Sprintf("%.2f", d.Seconds()/window.Seconds())
	}
	r.f("| %s | %s | %.2f | %s | %s | %d | %d | %d | %d |\n", secs(d), secs(floor), d.Seconds()/floor.Seconds(),
		secs(window), ratioWindow, after.ByEndpoint["DELETE /agents/{id}"]-before.ByEndpoint["DELETE /agents/{id}"],
		after.RateLimited-before.RateLimited, failures, left)
	r.f("\nThe window floor is the least time any client needs: the first %d requests of a minute go at once, "+
		"the next ones one minute later.\n", o.bulkRPM)
	if err != nil {
		return err
	}
	return nil
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
