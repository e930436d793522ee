package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

// State that survives upgrades. Every release keeps, under
// testdata/golden/<release>-terraform-<x.y>/, the Terraform state that it
// wrote for testdata/golden/config.tf (every resource type, every attribute
// set) with that Terraform, the configuration, and the simulator's state
// document of what Kakiyo then held (kakiyo.json). TestAccGoldenStates plans
// each with the current provider against a double loaded from kakiyo.json:
// no change and no error, or a later release has broken the states users
// have. A change to how a resource is stored needs a schema version bump and
// a StateUpgrader from every version a golden state holds
// (TestGoldenStateVersions).
//
// The golden states of the current release (CHANGELOG.md's first heading)
// are written by
//
//	TF_ACC=1 TF_ACC_TERRAFORM_PATH=<terraform> go test ./internal/provider \
//	    -run TestAccGoldenStates -update-golden
//
// once with Terraform 1.5 (the oldest supported; it has no write-only
// attributes, so it applies config-before-1.11.tf), once with 1.11
// (write-only attributes) and once with 1.12 or later (resource
// identities); those of released versions are never rewritten.

var updateGolden = flag.Bool("update-golden", false,
	"write the golden states of the current release with the acceptance tests' Terraform, then test them")

// schemaVersions is the schema version each resource declares; identity
// versions are identitySchemaVersions. Raise one only together with a
// StateUpgrader (UpgradeIdentity) from each earlier version.
var (
	schemaVersions = map[string]int64{
		"kakiyo_agent": 0, "kakiyo_webhook": 0, "kakiyo_dnc_entry": 0, "kakiyo_dnc_list": 0,
		"kakiyo_workspace": 0, "kakiyo_workspace_agent": 0, "kakiyo_workspace_client": 0, "kakiyo_campaign": 0,
	}
	identitySchemaVersions = map[string]int64{
		"kakiyo_agent": 0, "kakiyo_webhook": 0, "kakiyo_dnc_entry": 0,
		"kakiyo_workspace": 0, "kakiyo_workspace_agent": 0, "kakiyo_workspace_client": 0, "kakiyo_campaign": 0,
	}
)

const goldenDir = "testdata/golden"

// goldenState is what the tests read of a Terraform state (format 4).
type goldenState struct {
	Version          int    `json:"version"`
	TerraformVersion string `json:"terraform_version"`
	Resources        []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			SchemaVersion         int64          `json:"schema_version"`
			Attributes            map[string]any `json:"attributes"`
			Identity              map[string]any `json:"identity"`
			IdentitySchemaVersion *int64         `json:"identity_schema_version"`
		} `json:"instances"`
	} `json:"resources"`
}

// goldenSets returns the directories of the golden states, sorted.
func goldenSets(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(goldenDir, "*", "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range dirs {
		dirs[i] = filepath.Dir(dirs[i])
	}
	slices.Sort(dirs)
	return dirs
}

func readGoldenState(t *testing.T, dir string) goldenState {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st goldenState
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return st
}

// resourceSchemas returns every resource's schema and the resource, by type.
func resourceSchemas(t *testing.T) (map[string]schema.Schema, map[string]resource.Resource) {
	t.Helper()
	ctx := context.Background()
	schemas, resources := map[string]schema.Schema{}, map[string]resource.Resource{}
	for _, f := range New("test")().Resources(ctx) {
		r := f()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "kakiyo"}, &meta)
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("%s: %v", meta.TypeName, resp.Diagnostics)
		}
		schemas[meta.TypeName], resources[meta.TypeName] = resp.Schema, r
	}
	return schemas, resources
}

// Every resource declares the version this test names, and every golden
// state of every release is either at that version or has an upgrader from
// its version, for the state and for the identity. So a change to how a
// resource is stored cannot ship without a version bump and an upgrader,
// and a bump cannot ship without an upgrader.
func TestGoldenStateVersions(t *testing.T) {
	ctx := context.Background()
	schemas, resources := resourceSchemas(t)
	if got := slices.Sorted(maps.Keys(schemas)); !slices.Equal(got, slices.Sorted(maps.Keys(schemaVersions))) {
		t.Fatalf("resources %v, but schemaVersions names %v: declare the new resource's version here", got, slices.Sorted(maps.Keys(schemaVersions)))
	}
	identityVersion := map[string]int64{}
	for typ, s := range schemas {
		if s.Version != schemaVersions[typ] {
			t.Errorf("%s declares schema version %d, schemaVersions says %d", typ, s.Version, schemaVersions[typ])
		}
		if r, ok := resources[typ].(resource.ResourceWithIdentity); ok {
			var resp resource.IdentitySchemaResponse
			r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &resp)
			identityVersion[typ] = resp.IdentitySchema.Version
		}
	}
	if !maps.Equal(identityVersion, identitySchemaVersions) {
		t.Errorf("identity schema versions %v, identitySchemaVersions says %v", identityVersion, identitySchemaVersions)
	}

	sets := goldenSets(t)
	if len(sets) == 0 {
		t.Fatal("no golden state under " + goldenDir)
	}
	seen, identities := map[string]bool{}, map[string]bool{}
	for _, dir := range sets {
		st := readGoldenState(t, dir)
		if st.Version != 4 {
			t.Errorf("%s: state format %d, want 4", dir, st.Version)
		}
		for _, res := range st.Resources {
			if res.Mode != "managed" {
				continue
			}
			where := fmt.Sprintf("%s: %s.%s", dir, res.Type, res.Name)
			s, ok := schemas[res.Type]
			if !ok {
				t.Errorf("%s: the provider has no resource %s any more (removing one is a breaking change)", where, res.Type)
				continue
			}
			seen[res.Type] = true
			for _, inst := range res.Instances {
				if inst.SchemaVersion > s.Version {
					t.Errorf("%s: schema_version %d is newer than the resource's %d", where, inst.SchemaVersion, s.Version)
				} else if inst.SchemaVersion < s.Version {
					up, ok := resources[res.Type].(resource.ResourceWithUpgradeState)
					if !ok || up.UpgradeState(ctx)[inst.SchemaVersion].StateUpgrader == nil {
						t.Errorf("%s: state at schema version %d, the resource at %d, and no StateUpgrader from %d",
							where, inst.SchemaVersion, s.Version, inst.SchemaVersion)
					}
				}
				if inst.IdentitySchemaVersion == nil {
					continue
				}
				identities[res.Type] = true
				if v := *inst.IdentitySchemaVersion; v != identityVersion[res.Type] {
					up, ok := resources[res.Type].(resource.ResourceWithUpgradeIdentity)
					if v > identityVersion[res.Type] || !ok || up.UpgradeIdentity(ctx)[v].IdentityUpgrader == nil {
						t.Errorf("%s: identity at version %d, the resource's at %d, and no IdentityUpgrader from %d",
							where, v, identityVersion[res.Type], v)
					}
				}
			}
		}
	}
	for typ := range schemas {
		if !seen[typ] {
			t.Errorf("no golden state holds a %s: add it to %s/config.tf and write the golden states (-update-golden)", typ, goldenDir)
		}
		if _, ok := identityVersion[typ]; ok && !identities[typ] {
			t.Errorf("no golden state holds the identity of a %s (written by Terraform 1.12 or later)", typ)
		}
	}
}

// Every attribute of every resource is set (not null) in some golden state,
// nested ones included; write-only ones are never stored, so their presence
// in the configuration is what counts. A new attribute needs golden states
// of the release that adds it.
func TestGoldenStatesSetEveryAttribute(t *testing.T) {
	schemas, _ := resourceSchemas(t)
	set := map[string]bool{}
	for _, dir := range goldenSets(t) {
		st := readGoldenState(t, dir)
		for _, res := range st.Resources {
			for _, inst := range res.Instances {
				markSet(set, res.Type, inst.Attributes)
			}
		}
		config, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range writeOnlyRe.FindAllSubmatch(config, -1) {
			set["write-only "+string(m[1])] = true
		}
	}
	for typ, s := range schemas {
		for _, p := range attributePaths(s.Attributes) {
			if p.writeOnly {
				if !set["write-only "+p.name] {
					t.Errorf("no golden configuration sets the write-only %s.%s", typ, p.path)
				}
				continue
			}
			if !set[typ+"."+p.path] {
				t.Errorf("no golden state sets %s.%s", typ, p.path)
			}
		}
	}
}

type attrPath struct {
	path, name string
	writeOnly  bool
}

// attributePaths lists an object's attributes, nested ones as a.b.
func attributePaths(attrs map[string]schema.Attribute) []attrPath {
	var out []attrPath
	for name, a := range attrs {
		out = append(out, attrPath{path: name, name: name, writeOnly: a.IsWriteOnly()})
		var nested map[string]schema.Attribute
		switch n := a.(type) {
		case schema.SingleNestedAttribute:
			nested = n.Attributes
		case schema.ListNestedAttribute:
			nested = n.NestedObject.Attributes
		case schema.SetNestedAttribute:
			nested = n.NestedObject.Attributes
		case schema.MapNestedAttribute:
			nested = n.NestedObject.Attributes
		}
		for _, p := range attributePaths(nested) {
			out = append(out, attrPath{path: name + "." + p.path, name: p.name, writeOnly: p.writeOnly})
		}
	}
	return out
}

// markSet records type.path for every value that is not null (in lists and
// maps of objects, in any element).
func markSet(set map[string]bool, prefix string, attrs map[string]any) {
	for k, v := range attrs {
		if v == nil {
			continue
		}
		set[prefix+"."+k] = true
		switch x := v.(type) {
		case map[string]any:
			markSet(set, prefix+"."+k, x)
		case []any:
			for _, e := range x {
				if m, ok := e.(map[string]any); ok {
					markSet(set, prefix+"."+k, m)
				}
			}
		}
	}
}

// cliVersion returns the version of a Terraform CLI.
func cliVersion(t *testing.T, cli string) *version.Version {
	t.Helper()
	out, err := exec.Command(cli, "version", "-json").Output()
	var got struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &got) != nil {
		t.Fatalf("terraform version: %v", err)
	}
	return version.Must(version.NewVersion(got.Version))
}

// TestAccGoldenStates plans every golden state with the current provider,
// through the real CLI, against a double that holds what Kakiyo held when
// the state was written: no change, no error, and no call but reads.
func TestAccGoldenStates(t *testing.T) {
	cli := terraformAtLeast(t, tfversion.Version1_5_0)
	v := cliVersion(t, cli)
	bin, err := sandbox.BuildProvider(context.Background(), filepath.Join("..", ".."), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if *updateGolden {
		writeGoldenSet(t, cli, v, bin)
	}
	sets := goldenSets(t)
	if len(sets) == 0 {
		t.Fatal("no golden state under " + goldenDir)
	}
	planned := 0
	for _, dir := range sets {
		// A configuration with write-only attributes needs Terraform 1.11:
		// older CLIs plan the states written without them.
		config, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if writeOnlyRe.Match(config) && v.LessThan(tfversion.Version1_11_0) {
			t.Logf("%s: its configuration has write-only attributes, which Terraform %s lacks", filepath.Base(dir), v)
			continue
		}
		planned++
		t.Run(filepath.Base(dir), func(t *testing.T) { planGolden(t, cli, bin, dir) })
	}
	if planned == 0 {
		t.Fatalf("no golden state that Terraform %s can plan", v)
	}
}

// writeOnlyRe finds a write-only attribute set in a configuration.
var writeOnlyRe = regexp.MustCompile(`(?m)^\s*(\w+_wo)\s*=`)

func planGolden(t *testing.T, cli, bin, dir string) {
	srv := kakiyotest.Start(t)
	seed, err := kakiyotest.ReadStateFile(filepath.Join(dir, "kakiyo.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.LoadState(seed); err != nil {
		t.Fatal(err)
	}
	before := srv.State()
	sb, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	for _, f := range []string{"main.tf", "terraform.tfstate"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := sb.WriteFile(f, string(b)); err != nil {
			t.Fatal(err)
		}
	}
	srv.ResetRequests()
	r := sb.Run(context.Background(), "plan", "-detailed-exitcode", "-input=false", "-no-color")
	var exit *exec.ExitError
	switch {
	case errors.As(r.Err, &exit) && exit.ExitCode() == 2:
		t.Fatalf("the current provider plans changes to the state that %s wrote (a breaking change: "+
			"keep the state as it was, or bump the schema version with a StateUpgrader):\n%s", dir, r.Output)
	case r.Err != nil:
		t.Fatalf("the current provider cannot plan the state that %s wrote: %v\n%s", dir, r.Err, r.Output)
	case !strings.Contains(r.Output, "No changes."):
		t.Fatalf("plan output:\n%s", r.Output)
	}
	read := map[string]bool{}
	for _, req := range srv.Requests() {
		if req.Method != "GET" {
			t.Errorf("the plan called %s %s: a plan only reads", req.Method, req.Path)
		}
		read[strings.Split(strings.TrimPrefix(req.Endpoint, "GET /"), "/")[0]] = true
	}
	// Each kind of object was refreshed from the double (the analytics
	// serve a lone campaign).
	for _, kind := range []string{"agents", "webhooks", "dnc", "workspaces"} {
		if !read[kind] {
			t.Errorf("the plan did not read %s from the double: requests %v", kind, srv.Requests())
		}
	}
	if !read["campaigns"] && !read["analytics"] {
		t.Errorf("the plan did not read the campaign: requests %v", srv.Requests())
	}
	if after := srv.State(); !reflect.DeepEqual(after, before) {
		t.Errorf("the plan changed the double's objects")
	}
	t.Logf("%s: no changes, %d reads, %s", filepath.Base(dir), len(srv.Requests()), r.Duration.Round(1e6))
}

// writeGoldenSet applies testdata/golden/config.tf with cli against a double
// holding kakiyo-before.json, lets Kakiyo fill in what only it sets (the
// LinkedIn profile, usage, alerts, the next task, the timezone), refreshes,
// and writes the state, the configuration and the double's state document
// into testdata/golden/<release>-terraform-<major.minor>/.
func writeGoldenSet(t *testing.T, cli string, v *version.Version, bin string) {
	t.Helper()
	ctx := context.Background()
	changelog, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^## (\d+\.\d+\.\d+)(.*)$`).FindSubmatch(changelog)
	if m == nil {
		t.Fatal("CHANGELOG.md has no release heading (## x.y.z)")
	}
	if !bytes.Contains(m[2], []byte("(Unreleased)")) {
		t.Fatalf("CHANGELOG.md's first release, %s, is released: its golden states are never rewritten. "+
			"Add the next release's heading, ## x.y.z (Unreleased), first.", m[1])
	}
	seg := v.Segments()
	dir := filepath.Join(goldenDir, fmt.Sprintf("%s-terraform-%d.%d", m[1], seg[0], seg[1]))
	configName := "config.tf"
	if v.LessThan(tfversion.Version1_11_0) {
		configName = "config-before-1.11.tf" // no write-only attributes
	}
	config, err := os.ReadFile(filepath.Join(goldenDir, configName))
	if err != nil {
		t.Fatal(err)
	}
	before, err := kakiyotest.ReadStateFile(filepath.Join(goldenDir, "kakiyo-before.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := kakiyotest.Start(t)
	if err := srv.LoadState(before); err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.New(cli, bin, srv.URL(), kakiyotest.DefaultAPIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	if err := sb.WriteFile("main.tf", string(config)); err != nil {
		t.Fatal(err)
	}
	if r := sb.Run(ctx, "apply", "-auto-approve", "-input=false", "-no-color"); r.Err != nil {
		t.Fatalf("apply: %v\n%s", r.Err, r.Output)
	}

	// What Kakiyo does afterwards, on a double that holds the same objects,
	// to kakiyo_agent.full: the LinkedIn account connected (in the dashboard
	// when the configuration cannot), usage, an alert, the next task.
	full := ""
	for _, res := range readGoldenState(t, sb.Dir).Resources {
		if res.Type == "kakiyo_agent" && res.Name == "full" && len(res.Instances) == 1 {
			full, _ = res.Instances[0].Attributes["id"].(string)
		}
	}
	st := srv.State()
	for i := range st.Agents {
		a := &st.Agents[i]
		if a.ID != full {
			continue
		}
		a.Login, a.Country = "jane@example.com", "FR"
		a.Name, a.Avatar, a.NextTask = "Jane Doe", "https://media.example.com/jane.png", "2026-06-01T09:00:00Z"
		a.Usage = &kakiyotest.StateAgentUsage{Invitations: 40, InvitationsDaily: 4, Messages: 12, MessagesDaily: 2,
			NextInvitation: "2026-06-01T09:30:00Z", NextMessage: "2026-06-01T10:00:00Z"}
		a.WorkingHours.Timezone = 1
		a.Alerts = []kakiyotest.Alert{{Type: "auth", SubType: "2fa_required", Message: "Confirm the sign-in in the LinkedIn app", Severity: "high"}}
	}
	later := kakiyotest.Start(t)
	if err := later.LoadState(st); err != nil {
		t.Fatal(err)
	}
	sb.Setenv("KAKIYO_BASE_URL", later.URL())
	if r := sb.Run(ctx, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"); r.Err != nil {
		t.Fatalf("apply -refresh-only: %v\n%s", r.Err, r.Output)
	}
	state, err := os.ReadFile(filepath.Join(sb.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := json.MarshalIndent(later.State(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"main.tf": config, "terraform.tfstate": state, "kakiyo.json": append(doc, '\n')} {
		if bytes.Contains(b, []byte("golden-linkedin-password")) && name != "main.tf" || bytes.Contains(b, []byte("golden-webhook-secret")) && name != "main.tf" {
			t.Fatalf("%s would hold a write-only value", name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %s", dir)
}
