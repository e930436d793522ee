// Command kakiyo-sim runs the Kakiyo API test double as a local server, so
// that the provider can be tried without a Kakiyo account:
//
//	go run ./internal/cmd/kakiyo-sim -port 8787 -seed 3
//
// It listens on 127.0.0.1 only, serves the API under /v1, accepts the API
// key it prints, and has a back door under /_sim/ (see the README), for
// example to end an agent as Kakiyo would:
//
//	curl -X POST http://127.0.0.1:8787/_sim/agents/<id>/end
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kakiyo-sim:", err)
		os.Exit(1)
	}
}

func run() error {
	port := flag.Int("port", 0, "port on 127.0.0.1 (0 picks a free one)")
	seed := flag.Int("seed", 0, "agents to create at start, in status -seed-status")
	seedStatus := flag.String("seed-status", "running", "status of the seeded agents")
	latency := flag.Duration("latency", 0, "delay added to every API answer")
	rpm := flag.Int("rpm", 0, "requests per minute per endpoint before answering 429 (0: no limit)")
	faults := flag.Float64("fault-rate", 0, "fraction of requests that get a random transient fault")
	invalidStatus := flag.Int("invalid-status-http", http.StatusBadRequest, "HTTP status of invalid_status answers")
	addrFile := flag.String("addr-file", "", "write the base URL to this file once listening")
	flag.Parse()

	srv := kakiyotest.New()
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
	fmt.Printf("Kakiyo simulator listening on %s\n", base)
	fmt.Printf("  export KAKIYO_BASE_URL=%s\n", base)
	fmt.Printf("  export KAKIYO_API_KEY=%s\n", kakiyotest.DefaultAPIKey)
	fmt.Printf("  back door: curl -X POST http://%s/_sim/agents/<id>/end\n", ln.Addr())
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(base+"\n"), 0o600); err != nil {
			return err
		}
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(shutdown)
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
