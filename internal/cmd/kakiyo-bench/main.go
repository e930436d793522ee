// Command kakiyo-bench measures what the provider costs, against the Kakiyo
// simulator through the real Terraform CLI (make bench), and soak-tests it
// under random faults (make soak, with -soak).
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

type options struct {
	terraform, repo, out  string
	n, parallelism        int
	latency, limitLatency time.Duration
	bulkN, bulkRPM, listN int
	dncN                  int
	sharedRuns, sharedN   int
	reps                  int
	baseline              string // directory of the baseline provider's binary
	soak                  bool
	only                  string
	rounds, agents        int
	concurrent            int
	faultRate             float64
	lostCreates           float64
	seed                  uint64
}

func main() {
	var o options
	flag.StringVar(&o.terraform, "terraform", "", "Terraform CLI (default: terraform on PATH)")
	flag.StringVar(&o.repo, "repo", ".", "root of the provider's source tree")
	flag.StringVar(&o.out, "out", "bench-results/latest.md", "where to write the report")
	flag.IntVar(&o.n, "n", 200, "agents for the wall-time runs")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism")
	flag.DurationVar(&o.latency, "latency", 0, "simulated API latency for the wall-time runs next to the baseline")
	flag.DurationVar(&o.limitLatency, "limited-latency", 20*time.Millisecond, "simulated API latency for the runs under a rate limit")
	flag.IntVar(&o.bulkN, "bulk-n", 120, "agents for the plan and destroy under a rate limit")
	flag.IntVar(&o.bulkRPM, "bulk-rpm", 60, "rate limit (requests per minute per endpoint) of the simulator for those runs")
	flag.IntVar(&o.reps, "reps", 5, "repetitions of the wall-time runs (the median is reported)")
	flag.IntVar(&o.sharedRuns, "shared-runs", 3, "concurrent terraform plans on one API key")
	flag.IntVar(&o.sharedN, "shared-n", 100, "agents of each of those runs")
	flag.IntVar(&o.dncN, "dnc-n", 2500, "profiles of the kakiyo_dnc_list run")
	flag.IntVar(&o.listN, "list-n", 10000, "agents listed by kakiyo_agents for the memory figure")
	flag.BoolVar(&o.soak, "soak", false, "run the soak test instead of the benchmarks")
	flag.StringVar(&o.only, "only", "", "run only the measurements whose name contains this text (the report is then not written)")
	flag.IntVar(&o.rounds, "rounds", 10, "soak: rounds of apply and destroy")
	flag.IntVar(&o.agents, "agents", 5, "soak: agents per round")
	flag.IntVar(&o.concurrent, "concurrent", 2, "soak: rounds of two runs at once on one API key (adopt_lost_creates = false)")
	flag.Float64Var(&o.faultRate, "fault-rate", 0.2, "soak: fraction of requests given a random transient fault")
	flag.Uint64Var(&o.seed, "seed", 20261128, "soak: seed of the random faults")
	flag.Float64Var(&o.lostCreates, "lost-creates", 0.2, "soak: fraction of creates whose answer is lost after Kakiyo created the agent")
	flag.Parse()
	if o.terraform == "" {
		o.terraform, _ = exec.LookPath("terraform")
	}
	var err error
	if o.soak {
		err = soak(context.Background(), o, os.Stdout)
	} else {
		err = bench(context.Background(), o, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kakiyo-bench:", err)
		os.Exit(1)
	}
}

// sim is an in-process Kakiyo simulator on 127.0.0.1.
type sim struct {
	*kakiyotest.Server
	base string
	ln   net.Listener
}

func startSim() (*sim, error) {
	s := kakiyotest.New()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() { _ = http.Serve(ln, s) }()
	return &sim{Server: s, base: "http://" + ln.Addr().String() + kakiyotest.PathPrefix, ln: ln}, nil
}

func (s *sim) close() { _ = s.ln.Close() }

// newEnv starts a simulator and a sandbox whose Terraform talks to it
// through the provider built in bin; done stops and removes both.
func newEnv(o options, bin string) (*sim, *sandbox.Sandbox, func(), error) {
	s, err := startSim()
	if err != nil {
		return nil, nil, nil, err
	}
	sb, err := newSandbox(o, bin, s)
	if err != nil {
		s.close()
		return nil, nil, nil, err
	}
	return s, sb, func() { _ = sb.Close(); s.close() }, nil
}

// newSandbox is a sandbox on s, with the kakiyo provider built in bin and,
// when built, the baseline provider.
func newSandbox(o options, bin string, s *sim) (*sandbox.Sandbox, error) {
	providers := map[string]string{"kakiyo/kakiyo": bin}
	if o.baseline != "" {
		providers["kakiyo/baseline"] = o.baseline
	}
	return sandbox.NewWithProviders(o.terraform, providers, s.base, kakiyotest.DefaultAPIKey)
}

func (s *sim) endAll() {
	for _, id := range s.AgentIDs() {
		s.SetAgentStatus(id, "ended")
	}
}

// callsDuring returns the API calls per endpoint that f caused.
func (s *sim) callsDuring(f func() error) (map[string]int, int, error) {
	before := s.Stats().ByEndpoint
	err := f()
	after := s.Stats().ByEndpoint
	diff, total := map[string]int{}, 0
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			diff[k] = d
			total += d
		}
	}
	return diff, total, err
}

func providerConfig(extra string) string {
	return `terraform {
  required_providers {
    kakiyo = {
      source = "kakiyo/kakiyo"
    }
  }
}

provider "kakiyo" {
` + extra + `
}
`
}

func run(ctx context.Context, sb *sandbox.Sandbox, args ...string) (time.Duration, error) {
	r := sb.Run(ctx, append(args, "-no-color")...)
	if r.Err != nil {
		tail := r.Output
		if len(tail) > 3000 {
			tail = tail[len(tail)-3000:]
		}
		return r.Duration, fmt.Errorf("%w\n%s", r.Err, tail)
	}
	return r.Duration, nil
}

// watchRSS follows the peak resident memory (VmHWM) of every provider
// process until stop is called, and returns it in bytes.
func watchRSS() (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			dirs, _ := os.ReadDir("/proc")
			for _, d := range dirs {
				if _, err := strconv.Atoi(d.Name()); err != nil {
					continue
				}
				cmd, err := os.ReadFile(filepath.Join("/proc", d.Name(), "cmdline"))
				if err != nil || !strings.Contains(string(cmd), "terraform-provider-kakiyo") {
					continue
				}
				if kb := vmHWM(filepath.Join("/proc", d.Name(), "status")); kb*1024 > peak.Load() {
					peak.Store(kb * 1024)
				}
			}
		}
	}()
	return func() int64 { close(done); return peak.Load() }
}

func vmHWM(statusFile string) int64 {
	f, err := os.Open(statusFile)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func breakdown(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func machine(terraform string) string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if l, _, ok := strings.Cut(string(b), "\n"); ok {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
			}
		}
	}
	tf, _ := exec.Command(terraform, "version").Output()
	tfv, _, _ := strings.Cut(string(tf), "\n")
	return fmt.Sprintf("%s, %d cores%s, %s, %s, %s/%s", model, runtime.NumCPU(), mem, tfv, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

type report struct {
	w io.Writer
}

func (r report) f(format string, args ...any) { fmt.Fprintf(r.w, format, args...) }

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
