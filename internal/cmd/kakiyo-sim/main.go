// Command kakiyo-sim runs the Kakiyo API test double as a local server, so
// that the provider, and the modules written with it, can be planned,
// applied and tested without a Kakiyo account and without spending credits:
//
//	kakiyo-sim -port 8787 -state kakiyo-sim.json
//
// It is a supported tool, released beside the provider (a zip per platform,
// in the release's SHA256SUMS) with the provider's version, and installed
// at a release's version with
//
//	go install github.com/kakiyo/terraform-provider-kakiyo/internal/cmd/kakiyo-sim@v0.1.0
//
// or from a clone with go install ./internal/cmd/kakiyo-sim.
//
// It listens on 127.0.0.1 only, serves the API under /v1, and accepts one
// API key, which it prints with the base URL:
//
//	export KAKIYO_BASE_URL=http://127.0.0.1:8787/v1
//	export KAKIYO_API_KEY=kakiyo_test_key_0123456789abcdefghijklmn
//
// Flags:
//
//	-state file     start from the objects of a state document (JSON): products and
//	                prompts of the catalog, agents (status, profile, working hours,
//	                limits, settings, alerts), webhooks, do-not-contact entries,
//	                workspaces (clients, assigned agents) and campaigns. It is read
//	                strictly: an unknown field or a wrong value stops the simulator
//	                with an error that names its place, and nothing is loaded.
//	-dump file      write the state document when stopped (SIGINT, SIGTERM)
//	-addr-file file write the base URL to this file once listening
//	-port n         port on 127.0.0.1 (0 picks a free one)
//	-seed n         add n agents in status -seed-status (default running)
//	-latency d      delay every answer; -rpm n: 429 past n requests a minute per
//	                endpoint; -fault-rate f: random transient faults;
//	                -invalid-status-http code: the status of invalid_status answers
//	-version        print the version and the state format, then exit
//
// The state document's format, its fields and the back door under /_sim/
// (end an agent as Kakiyo would, disable a webhook, GET /_sim/state, ...)
// are described in the README, "Testing with the simulator (kakiyo-sim)".
// The simulator's version line follows the provider's: a release changes
// the state format only in ways that keep reading older documents.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// version is set at build time: -ldflags "-X main.version=v0.1.0". When it
// is not, the module version that go install recorded is used (go install
// ...@v0.1.0 records v0.1.0; a build from a clone records "(devel)").
var version = ""

// A release's version is shown as its tag, v0.1.0, however it was set
// (goreleaser's {{ .Version }} has no "v").
func versionString() string {
	v := version
	if v == "" {
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
	}
	switch {
	case v == "":
		return "dev"
	case v[0] >= '0' && v[0] <= '9':
		return "v" + v
	}
	return v
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "kakiyo-sim:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kakiyo-sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", 0, "port on 127.0.0.1 (0 picks a free one)")
	statePath := fs.String("state", "", "start from the objects of this state document (JSON)")
	dump := fs.String("dump", "", "write the state document to this file when stopped")
	seed := fs.Int("seed", 0, "agents to create at start, in status -seed-status")
	seedStatus := fs.String("seed-status", "running", "status of the seeded agents")
	latency := fs.Duration("latency", 0, "delay added to every API answer")
	rpm := fs.Int("rpm", 0, "requests per minute per endpoint before answering 429 (0: no limit)")
	faults := fs.Float64("fault-rate", 0, "fraction of requests that get a random transient fault")
	invalidStatus := fs.Int("invalid-status-http", http.StatusBadRequest, "HTTP status of invalid_status answers")
	addrFile := fs.String("addr-file", "", "write the base URL to this file once listening")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags only; see -help)", fs.Arg(0))
	}
	if *showVersion {
		fmt.Fprintf(stdout, "kakiyo-sim %s (state format %d)\n", versionString(), kakiyotest.StateFormat)
		return nil
	}

	srv := kakiyotest.New()
	if *statePath != "" {
		st, err := kakiyotest.ReadStateFile(*statePath)
		if err == nil {
			err = srv.LoadState(st)
		}
		if err != nil {
			return fmt.Errorf("-state %s: %w", *statePath, err)
		}
	}
	srv.SetLatency(*latency)
	srv.SetRateLimit(*rpm)
	srv.SetRandomFaults(*faults, uint64(time.Now().UnixNano()))
	srv.SetInvalidStatusHTTP(*invalidStatus)
	for i := 0; i < *seed; i++ {
		srv.AddAgent(kakiyotest.AgentSeed{Status: *seedStatus})
	}

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + kakiyotest.PathPrefix
	fmt.Fprintf(stdout, "Kakiyo simulator %s listening on %s\n", versionString(), base)
	fmt.Fprintf(stdout, "  export KAKIYO_BASE_URL=%s\n", base)
	fmt.Fprintf(stdout, "  export KAKIYO_API_KEY=%s\n", kakiyotest.DefaultAPIKey)
	fmt.Fprintf(stdout, "  back door: curl -X POST http://%s/_sim/agents/<id>/end\n", ln.Addr())
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(base+"\n"), 0o600); err != nil {
			_ = ln.Close()
			return err
		}
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if *dump != "" {
		b, err := json.MarshalIndent(srv.State(), "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*dump, append(b, '\n'), 0o600); err != nil {
			return fmt.Errorf("-dump: %w", err)
		}
	}
	return nil
}
