package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

// start runs the simulator with args until the test ends, and returns its
// base URL (…/v1) and a function that stops it and returns run's error.
func start(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	addr := filepath.Join(t.TempDir(), "addr")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- run(ctx, append(args, "-addr-file", addr), &out, &out) }()
	var once sync.Once
	var runErr error
	stop := func() error { once.Do(func() { cancel(); runErr = <-done }); return runErr }
	t.Cleanup(func() { _ = stop() })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(addr); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b)), stop
		}
		select {
		case err := <-done:
			t.Fatalf("the simulator stopped: %v\n%s", err, out.String())
		default:
		}
	}
	cancel()
	t.Fatalf("the simulator did not start:\n%s", out.String())
	return "", nil
}

func get(t *testing.T, url string, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// -state seeds what the API then serves; -dump writes the state at the end,
// changes made through the API included.
func TestStateAndDump(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	dump := filepath.Join(dir, "dump.json")
	if err := os.WriteFile(state, []byte(`{
	  "agents": [{"id": "agent0000000000000aa", "status": "ended", "name": "Old agent"}],
	  "webhooks": [{"name": "CRM", "url": "https://crm.example.com/hook", "events": ["*"]}],
	  "dnc": [{"url": "in/jane-doe"}]
	}`), 0o600); err != nil {
		t.Fatal(err)
	}
	base, stop := start(t, "-state", state, "-dump", dump, "-seed", "1")
	if code, body := get(t, base+"/agents/agent0000000000000aa", kakiyotest.DefaultAPIKey); code != 200 ||
		!strings.Contains(body, `"name":"Old agent"`) || !strings.Contains(body, `"status":"ended"`) {
		t.Errorf("the seeded agent: %d %s", code, body)
	}
	if code, body := get(t, base+"/agents", kakiyotest.DefaultAPIKey); code != 200 || !strings.Contains(body, kakiyotest.AgentID(1)) {
		t.Errorf("-seed 1 beside -state: %d %s", code, body)
	}
	if code, body := get(t, base+"/dnc/check?url=https://www.linkedin.com/in/Jane-Doe/", kakiyotest.DefaultAPIKey); code != 200 ||
		!strings.Contains(body, kakiyotest.DNCID(1)) {
		t.Errorf("the seeded DNC entry: %d %s", code, body)
	}
	req, _ := http.NewRequest(http.MethodDelete, base+"/agents/agent0000000000000aa", nil)
	req.Header.Set("Authorization", "Bearer "+kakiyotest.DefaultAPIKey)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	code, live := get(t, strings.TrimSuffix(base, kakiyotest.PathPrefix)+"/_sim/state", "")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	st, err := kakiyotest.ReadState(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the dump does not read back: %v\n%s", err, b)
	}
	if len(st.Agents) != 1 || st.Agents[0].ID != kakiyotest.AgentID(1) || len(st.Webhooks) != 1 || st.Webhooks[0].ID != kakiyotest.WebhookID(1) ||
		len(st.DNC) != 1 || st.DNC[0].URL != "https://linkedin.com/in/jane-doe" {
		t.Errorf("dump:\n%s", b)
	}
	var fromHTTP kakiyotest.State
	if code != 200 || json.Unmarshal([]byte(live), &fromHTTP) != nil || len(fromHTTP.Agents) != 1 {
		t.Errorf("GET /_sim/state: %d %s", code, live)
	}
}

// A wrong state document stops the simulator before it listens, with every
// problem named.
func TestStateErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ doc, want string }{
		{`{"agents": [{"satus": "running"}]}`, `state.json: json: unknown field "satus"`},
		{`{"agents": [{"status": "asleep"}], "dnc": [{"url": "jane"}]}`,
			"the state document has 2 problem(s), and nothing of it was loaded:\n  agents[0].status: \"asleep\" is not one of"},
	} {
		p := filepath.Join(dir, "state.json")
		if err := os.WriteFile(p, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := run(context.Background(), []string{"-state", p}, &out, &out)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "-state "+p+": ") {
			t.Errorf("-state with %s: %v, want %q", c.doc, err, c.want)
		}
		if strings.Contains(out.String(), "listening") {
			t.Errorf("listened despite a wrong state:\n%s", out.String())
		}
	}
	if err := run(context.Background(), []string{"-state", filepath.Join(dir, "none.json")}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if err := run(context.Background(), []string{"extra"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil ||
		!strings.Contains(err.Error(), `unexpected argument "extra"`) {
		t.Errorf("stray argument: %v", err)
	}
}

// -version prints what the release build sets with -ldflags (goreleaser's
// version has no "v"), as the release's tag.
func TestVersionFlag(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "kakiyo-sim")
	if out, err := exec.Command("go", "build", "-ldflags", "-X main.version=9.8.7", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-version").CombinedOutput()
	if err != nil || string(out) != "kakiyo-sim v9.8.7 (state format 1)\n" {
		t.Errorf("-version: %v %q", err, out)
	}
	var plain bytes.Buffer
	if err := run(context.Background(), []string{"-version"}, &plain, &plain); err != nil || plain.String() != "kakiyo-sim dev (state format 1)\n" {
		t.Errorf("-version without ldflags: %v %q", err, plain.String())
	}
}
