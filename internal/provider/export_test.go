package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

func readRecord(t *testing.T, path string) (exportRecord, os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var r exportRecord
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s is not a complete JSON record: %v", path, err)
	}
	return r, fi.Mode().Perm()
}

func TestExporterLifecycle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exports") // created on first use
	clock := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	e := &exporter{dir: dir, version: "1.2.3", now: func() time.Time { return clock }}

	f, err := e.begin("agent", "a/1", map[string]string{"status": "ended"})
	if err != nil {
		t.Fatal(err)
	}
	r, mode := readRecord(t, f.path)
	if mode != 0o600 || r.Result != exportPending || r.ID != "a/1" || r.Kind != "agent" || r.ProviderVersion != "1.2.3" ||
		r.ExportedAt != "2026-11-29T12:00:00Z" || r.TerraformAddress != nil || filepath.Dir(f.path) != dir ||
		strings.Contains(filepath.Base(f.path), "/") {
		t.Errorf("pending record %s (mode %o): %+v", f.path, mode, r)
	}
	clock = clock.Add(time.Second)
	if err := f.finish(exportDeleted); err != nil {
		t.Fatal(err)
	}
	if r, mode = readRecord(t, f.path); r.Result != exportDeleted || r.FinishedAt != "2026-11-29T12:00:01Z" || mode != 0o600 {
		t.Errorf("finished record (mode %o): %+v", mode, r)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}

	g, _ := e.begin("agent", "a2", nil)
	if err := g.discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(g.path); !os.IsNotExist(err) {
		t.Errorf("a discarded record must be gone: %v", err)
	}

	// A directory that cannot be made: an error, so that nothing is deleted.
	file := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(file, nil, 0o600)
	bad := &exporter{dir: filepath.Join(file, "sub"), now: time.Now}
	if _, err := bad.begin("agent", "a3", nil); err == nil {
		t.Error("begin must fail when the record cannot be written")
	}
}

// The agent's record holds what Terraform knows of it, never the password.
func TestAgentRecordHasNoSecret(t *testing.T) {
	ctx := context.Background()
	s := agentResourceSchema(t)
	m := model(t, func(m *agentModel) {
		m.ID, m.Status, m.Name = types.StringValue("a1"), types.StringValue("ended"), types.StringValue("Jane")
		m.WorkingHours = whValue("1:1:1:1:1:0:0", "09:00", "17:00")
		m.Limits = limitsValue(t, 15)
		m.LinkedIn = types.ObjectValueMust(objType(t, s, "linkedin"), map[string]attr.Value{
			"login": types.StringValue("jane@example.com"), "country": types.StringNull(),
			"password_wo": types.StringValue("s3cret-Pa55"), "password_wo_version": types.Int64Value(1),
		})
	})
	b, err := json.Marshal(agentRecordOf(ctx, m))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{`"id":"a1"`, `"status":"ended"`, `"days":"1:1:1:1:1:0:0"`, `"invitations_max":15`, `"login":"jane@example.com"`} {
		if !strings.Contains(got, want) {
			t.Errorf("record lacks %s: %s", want, got)
		}
	}
	if strings.Contains(got, "s3cret") || strings.Contains(got, "password") {
		t.Errorf("record shows the password: %s", got)
	}
}

// withRecord settles the record by the delete's outcome, and runs no delete
// without one: a refusal, or a DELETE that surely never reached Kakiyo,
// removes it; a DELETE whose outcome is unknown (cut off by Ctrl-C after it
// was sent, a server error) keeps it pending.
func TestWithRecord(t *testing.T) {
	ctx := context.Background()
	refused := &kakiyo.APIError{StatusCode: 400, Code: "invalid_status"}
	sent := &kakiyo.TransportError{Method: "DELETE", Path: "/agents/a1", Written: true, Err: errors.New("connection reset")}
	interrupted := fmt.Errorf("kakiyo API DELETE /agents/a1: interrupted after 1 attempts (%w); last outcome: %w",
		context.Canceled, sent)
	notSent := &kakiyo.TransportError{Method: "DELETE", Path: "/agents/a1", Written: false, Err: errors.New("connection refused")}
	for _, tc := range []struct {
		name   string
		err    error
		result string // "" when no record must remain
	}{
		{"deleted", nil, exportDeleted},
		{"already gone", errAlreadyGone, exportAlreadyGone},
		{"refused", refused, ""},
		{"never sent", notSent, ""},
		{"interrupted after it was sent", interrupted, exportPending},
		{"server error", &kakiyo.APIError{StatusCode: 502}, exportPending},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			e := &exporter{dir: dir, version: "test", now: time.Now}
			var diags diag.Diagnostics
			calls := 0
			e.withRecord(ctx, agentObject("a1"), recordOf(map[string]string{"id": "a1"}), &diags, func() error {
				calls++
				if entries, _ := os.ReadDir(dir); len(entries) != 1 {
					t.Errorf("no complete record before the delete: %v", entries)
				}
				return tc.err
			})
			entries, _ := os.ReadDir(dir)
			switch {
			case tc.result == exportPending && (len(diags.Warnings()) != 1 || !strings.Contains(diags.Warnings()[0].Detail(), "pending")):
				t.Errorf("a record left pending must be said so: %v", diags)
			case calls != 1 || diags.HasError():
				t.Errorf("%d deletes, diagnostics %v", calls, diags)
			case tc.result == "" && len(entries) != 0:
				t.Errorf("records left: %v", entries)
			case tc.result != "":
				if r, _ := readRecord(t, filepath.Join(dir, entries[0].Name())); r.Result != tc.result {
					t.Errorf("result %q, want %q", r.Result, tc.result)
				}
			}
		})
	}

	var diags diag.Diagnostics
	calls := 0
	(*exporter)(nil).withRecord(ctx, agentObject("a1"), func() (any, diag.Diagnostics) {
		t.Error("a record was made without export_dir")
		return nil, nil
	}, &diags, func() error { calls++; return nil })
	bad := &exporter{dir: filepath.Join(t.TempDir(), "f", "x"), now: time.Now}
	_ = os.WriteFile(filepath.Dir(bad.dir), nil, 0o600)
	bad.withRecord(ctx, agentObject("a1"), recordOf(nil), &diags, func() error { calls++; return nil })
	if calls != 1 || diags.ErrorsCount() != 1 || diags.Errors()[0].Summary() != "Kakiyo agent not deleted: export failed" {
		t.Errorf("without export_dir the delete runs; without a record it does not: %d calls, %v", calls, diags)
	}
}

func recordOf(v any) func() (any, diag.Diagnostics) {
	return func() (any, diag.Diagnostics) { return v, nil }
}

// A record left pending is settled by the next run: a refresh that finds
// the object gone marks it deleted (with a note); a new delete of the same
// object, which proves it still existed, removes it before writing its own.
func TestPendingRecordsAreSettled(t *testing.T) {
	ctx := context.Background()
	lost := &kakiyo.APIError{StatusCode: 504}
	pendingOne := func(t *testing.T, e *exporter) {
		t.Helper()
		var diags diag.Diagnostics
		e.withRecord(ctx, agentObject("a1"), recordOf(map[string]string{"id": "a1"}), &diags, func() error { return lost })
	}
	t.Run("found gone", func(t *testing.T) {
		dir := t.TempDir()
		e := &exporter{dir: dir, version: "test", now: time.Now}
		pendingOne(t, e)
		e.settleGone(ctx, agentObject("other"))
		e.settleGone(ctx, agentObject("a1"))
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("records: %v", entries)
		}
		r, _ := readRecord(t, filepath.Join(dir, entries[0].Name()))
		if r.Result != exportDeleted || r.Note == "" || r.FinishedAt == "" {
			t.Errorf("record %+v, want deleted with a note", r)
		}
	})
	t.Run("still there, deleted again", func(t *testing.T) {
		dir := t.TempDir()
		e := &exporter{dir: dir, version: "test", now: time.Now}
		pendingOne(t, e)
		var diags diag.Diagnostics
		e.withRecord(ctx, agentObject("a1"), recordOf(map[string]string{"id": "a1"}), &diags, func() error { return nil })
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("records: %v, want the new one only", entries)
		}
		if r, _ := readRecord(t, filepath.Join(dir, entries[0].Name())); r.Result != exportDeleted || r.Note != "" {
			t.Errorf("record %+v", r)
		}
	})
	(*exporter)(nil).settleGone(ctx, agentObject("a1")) // no export_dir: nothing to do, no panic
}
