// Package sandbox runs the Terraform CLI against a locally built provider in
// a throw-away directory: a dev_overrides CLI configuration of its own
// (never the user's), no update checks, and the Kakiyo endpoint and key in
// the environment. The demo, the benchmarks and the soak test use it.
package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Sandbox is a working directory with its own Terraform CLI configuration.
type Sandbox struct {
	Dir       string
	Terraform string
	env       []string
	// Echo, when set, receives the output of every command as it runs.
	Echo io.Writer
}

// New creates a sandbox whose Terraform uses the provider binary found in
// providerDir for kakiyo/kakiyo, talking to baseURL with apiKey.
func New(terraform, providerDir, baseURL, apiKey string) (*Sandbox, error) {
	return NewWithProviders(terraform, map[string]string{"kakiyo/kakiyo": providerDir}, baseURL, apiKey)
}

// NewWithProviders is New with several locally built providers: source
// address ("kakiyo/kakiyo") to the directory of its binary.
func NewWithProviders(terraform string, providers map[string]string, baseURL, apiKey string) (*Sandbox, error) {
	dir, err := os.MkdirTemp("", "kakiyo-sandbox-")
	if err != nil {
		return nil, err
	}
	var overrides strings.Builder
	for _, source := range slices.Sorted(maps.Keys(providers)) {
		abs, err := filepath.Abs(providers[source])
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&overrides, "    %q = %q\n", source, abs)
	}
	rc := filepath.Join(dir, ".terraformrc")
	cfg := fmt.Sprintf(`provider_installation {
  dev_overrides {
%s  }
  direct {}
}
`, overrides.String())
	if err := os.WriteFile(rc, []byte(cfg), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+rc,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"KAKIYO_BASE_URL="+baseURL,
		"KAKIYO_API_KEY="+apiKey,
	)
	return &Sandbox{Dir: dir, Terraform: terraform, env: env}, nil
}

// WriteFile writes a file of the working directory (e.g. main.tf).
func (s *Sandbox) WriteFile(name, content string) error {
	return os.WriteFile(filepath.Join(s.Dir, name), []byte(content), 0o600)
}

// Result is one Terraform command's outcome.
type Result struct {
	Output   string
	Duration time.Duration
	Err      error
}

// Setenv sets an environment variable for the Terraform runs that follow.
func (s *Sandbox) Setenv(key, value string) { s.env = append(s.env, key+"="+value) }

// Run runs terraform with args in the working directory.
func (s *Sandbox) Run(ctx context.Context, args ...string) Result {
	cmd := exec.CommandContext(ctx, s.Terraform, args...)
	cmd.Dir = s.Dir
	cmd.Env = s.env
	var buf bytes.Buffer
	var out io.Writer = &buf
	if s.Echo != nil {
		out = io.MultiWriter(&buf, s.Echo)
	}
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	err := cmd.Run()
	r := Result{Output: buf.String(), Duration: time.Since(start), Err: err}
	if err != nil {
		r.Err = fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	return r
}

// Close removes the working directory.
func (s *Sandbox) Close() error { return os.RemoveAll(s.Dir) }

// BuildProvider builds the provider from the module at repo into dir and
// returns dir.
func BuildProvider(ctx context.Context, repo, dir string) (string, error) {
	return BuildBinary(ctx, repo, ".", "terraform-provider-kakiyo", dir)
}

// BuildBinary builds the main package pkg of the module at repo into
// dir/name and returns dir.
func BuildBinary(ctx context.Context, repo, pkg, name, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, name), pkg)
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s: %w\n%s", name, err, out)
	}
	return dir, nil
}
