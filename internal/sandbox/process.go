package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Process is a Terraform command started in the background, for tests that
// interrupt it as a user does (Ctrl-C is one SIGINT).
type Process struct {
	cmd   *exec.Cmd
	start time.Time
	mu    sync.Mutex
	buf   bytes.Buffer
	done  chan struct{}
	err   error
}

// Start runs terraform with args in the working directory without waiting
// for it.
func (s *Sandbox) Start(ctx context.Context, args ...string) (*Process, error) {
	cmd := exec.CommandContext(ctx, s.Terraform, args...)
	cmd.Dir = s.Dir
	cmd.Env = s.env
	p := &Process{cmd: cmd, done: make(chan struct{})}
	var out io.Writer = lockedWriter{p}
	if s.Echo != nil {
		out = io.MultiWriter(out, s.Echo)
	}
	cmd.Stdout, cmd.Stderr = out, out
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
	}
	go func() {
		err := cmd.Wait()
		if err != nil {
			err = fmt.Errorf("terraform %s: %w", strings.Join(args, " "), err)
		}
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(p.done)
	}()
	return p, nil
}

// Interrupt sends one SIGINT, as one Ctrl-C in a terminal does: Terraform
// asks its providers to stop, waits for the operations in flight, and saves
// what they returned.
func (p *Process) Interrupt() error { return p.cmd.Process.Signal(os.Interrupt) }

// Wait waits for the command to end, at most d, and returns its outcome; a
// command still running after d is killed.
func (p *Process) Wait(d time.Duration) Result {
	select {
	case <-p.done:
	case <-time.After(d):
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return Result{Output: p.buf.String(), Duration: time.Since(p.start), Err: p.err}
}

// Output is what the command printed so far.
func (p *Process) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.buf.String()
}

type lockedWriter struct{ p *Process }

func (w lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.buf.Write(b)
}
