package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
)

// Export before delete (Kakiyo's Delete Agent page: "consider exporting
// agent data before deletion"). With export_dir set, the provider writes a
// JSON record of an object before it sends the DELETE that removes it for
// good, and sends no DELETE when the record cannot be written. This file
// knows no Kakiyo object: each resource hands it the record of its own.
//
// A record's life:
//   - written completely (temporary file, then rename; mode 0600) with
//     "result": "pending", before the DELETE;
//   - rewritten with "result": "deleted" (or "already_gone" when Kakiyo had
//     no such object any more) once Kakiyo has answered;
//   - removed when Kakiyo refuses the delete, or the DELETE surely never
//     reached Kakiyo: the object still exists in Kakiyo and in the state,
//     so a record would claim a deletion that did not happen; the next
//     destroy writes a new one;
//   - kept "pending" when the DELETE's outcome is unknown (interrupted by
//     Ctrl-C or a timeout after it was sent, a server error, a lost
//     answer): the object may be gone, and its record must not be. The next
//     run settles it: a refresh that finds the object gone marks it
//     "deleted" (with a note saying so); a later delete of the same object,
//     which proves it was still there, removes it and writes its own.

// exporter writes the records into dir.
type exporter struct {
	dir     string
	version string // the provider's
	now     func() time.Time
}

// exportRecord is the file's content.
type exportRecord struct {
	Kind   string `json:"kind"`
	ID     string `json:"id"`
	Result string `json:"result"`
	// TerraformAddress is always null: Terraform does not tell a provider
	// the address of the resource it deletes. The id identifies the object.
	TerraformAddress *string `json:"terraform_address"`
	ExportedAt       string  `json:"exported_at"`
	FinishedAt       string  `json:"finished_at,omitempty"`
	// Note says how a record left pending was settled by a later run.
	Note            string `json:"note,omitempty"`
	ProviderVersion string `json:"provider_version"`
	// Object is the object as Terraform last read it (the refresh before the
	// destroy) and the arguments Terraform sent; never a secret.
	Object any `json:"object"`
}

// Results of an export record.
const (
	exportPending     = "pending"
	exportDeleted     = "deleted"
	exportAlreadyGone = "already_gone"
)

// exportFile is one record on disk.
type exportFile struct {
	e      *exporter
	path   string
	record exportRecord
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// errAlreadyGone is what a delete function given to withRecord returns
// when Kakiyo said the object was gone already.
var errAlreadyGone = errors.New("already gone")

// withRecord runs del, the irreversible delete of obj, with obj's record
// (made by record, only when there is an export_dir) around it: written
// before del (no record, no delete: del does not run), then settled by
// del's outcome: nil (deleted), errAlreadyGone, or the failure, which del
// reports itself as diagnostics; withRecord adds only the export's. A nil
// exporter (no export_dir) just runs del.
func (e *exporter) withRecord(ctx context.Context, obj object, record func() (any, diag.Diagnostics),
	diags *diag.Diagnostics, del func() error) {
	if e == nil {
		_ = del()
		return
	}
	rec, recDiags := record()
	diags.Append(recDiags...)
	if diags.HasError() {
		return
	}
	// The object is still here (it is about to be deleted): a record an
	// earlier run left pending claims a deletion that did not happen.
	e.dropPending(ctx, obj)
	f, err := e.begin(obj.noun, obj.id, rec)
	if err != nil {
		diags.Append(exportFailedDiagnostic(obj, e.dir, err))
		return
	}
	err = del()
	result := exportDeleted
	switch {
	case errors.Is(err, errAlreadyGone):
		result = exportAlreadyGone
	case kakiyo.OutcomeUnknown(err):
		// The DELETE was sent and its answer is unknown: the object may be
		// gone. The record stays pending, for the next run to settle.
		tflog.Warn(ctx, "The outcome of a DELETE is unknown; its export record stays pending",
			map[string]any{"kind": obj.noun, "id": obj.id, "path": f.path})
		diags.AddWarning("Kakiyo "+obj.noun+" export left pending", fmt.Sprintf(
			"The DELETE of %s was sent, but its outcome is unknown, so the record written before it stays, with "+
				"result \"pending\": %s\n\nThe next run settles it: if the %s is gone by then, the record is marked "+
				"\"deleted\"; if it is still there, a new destroy replaces the record.", obj.subject(), f.path, obj.noun))
		return
	case err != nil:
		// Not deleted: the object is still in Kakiyo and in the state.
		if derr := f.discard(); derr != nil {
			tflog.Warn(ctx, "Could not remove the export of an object that was not deleted",
				map[string]any{"kind": obj.noun, "id": obj.id, "path": f.path, "error": derr.Error()})
		}
		return
	}
	if err := f.finish(result); err != nil {
		diags.Append(exportUnfinishedDiagnostic(obj, f.path, result, err))
	}
}

// pending returns the records of obj that an earlier run left pending.
func (e *exporter) pending(obj object) []*exportFile {
	pattern := filepath.Join(e.dir, fmt.Sprintf("%s-%s-*.json", obj.noun, unsafeFileChars.ReplaceAllString(obj.id, "_")))
	paths, _ := filepath.Glob(pattern)
	var files []*exportFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		f := &exportFile{e: e, path: p}
		if json.Unmarshal(b, &f.record) == nil && f.record.Result == exportPending && f.record.ID == obj.id &&
			f.record.Kind == obj.noun {
			files = append(files, f)
		}
	}
	return files
}

// settleGone marks the records of obj left pending as deleted: a refresh
// found obj gone after the DELETE they were written before. Nil-safe.
func (e *exporter) settleGone(ctx context.Context, obj object) {
	if e == nil {
		return
	}
	for _, f := range e.pending(obj) {
		f.record.Note = "the DELETE's answer was lost; a later run found the object gone"
		if err := f.finish(exportDeleted); err != nil {
			tflog.Warn(ctx, "Could not settle a pending export record", map[string]any{"path": f.path, "error": err.Error()})
		}
	}
}

// dropPending removes the records of obj left pending: obj still exists.
func (e *exporter) dropPending(ctx context.Context, obj object) {
	for _, f := range e.pending(obj) {
		if err := f.discard(); err != nil {
			tflog.Warn(ctx, "Could not remove a stale pending export record", map[string]any{"path": f.path, "error": err.Error()})
		}
	}
}

// begin writes the pending record of the object kind/id, completely, before
// its DELETE is sent. An error means the DELETE must not be sent.
func (e *exporter) begin(kind, id string, object any) (*exportFile, error) {
	if err := os.MkdirAll(e.dir, 0o700); err != nil {
		return nil, err
	}
	now := e.now().UTC()
	name := fmt.Sprintf("%s-%s-%s.json", kind, unsafeFileChars.ReplaceAllString(id, "_"), now.Format("20060102T150405.000000000Z"))
	f := &exportFile{e: e, path: filepath.Join(e.dir, name), record: exportRecord{
		Kind: kind, ID: id, Result: exportPending, ExportedAt: now.Format(time.RFC3339Nano),
		ProviderVersion: e.version, Object: object,
	}}
	return f, f.write()
}

// finish records the delete's outcome (exportDeleted or exportAlreadyGone).
func (f *exportFile) finish(result string) error {
	f.record.Result = result
	f.record.FinishedAt = f.e.now().UTC().Format(time.RFC3339Nano)
	return f.write()
}

// discard removes the record of a delete that did not happen.
func (f *exportFile) discard() error { return os.Remove(f.path) }

// write replaces the file atomically: a reader sees the old record or the
// new one, never a part.
func (f *exportFile) write() error {
	data, err := json.MarshalIndent(f.record, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.e.dir, ".kakiyo-export-*.tmp") // mode 0600
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // gone after the rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path)
}
