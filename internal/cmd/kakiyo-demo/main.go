// Command kakiyo-demo shows the provider's main job on a local Kakiyo
// simulator, in one command (make demo), without a Kakiyo account: create an
// agent, plan no changes, a destroy that Kakiyo's rule refuses while the
// agent runs, the agent ending, and a destroy that succeeds.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/sandbox"
)

func main() {
	terraform := flag.String("terraform", "", "Terraform CLI to use (default: terraform on PATH)")
	repo := flag.String("repo", ".", "root of the provider's source tree")
	flag.Parse()
	if err := run(context.Background(), *terraform, *repo, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "\ndemo failed:", err)
		os.Exit(1)
	}
}

type demo struct {
	out   io.Writer
	step  int
	admin string // simulator back door root
}

func (d *demo) say(format string, args ...any) {
	d.step++
	fmt.Fprintf(d.out, "\n==> %d. %s\n", d.step, fmt.Sprintf(format, args...))
}

// show prints the lines of terraform output that matter, indented.
func (d *demo) show(output string, keep func(string) bool) {
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), " "); keep(line) {
			fmt.Fprintf(d.out, "    %s\n", line)
		}
	}
}

func run(ctx context.Context, terraform, repo string, out io.Writer) error {
	if terraform == "" {
		var err error
		if terraform, err = exec.LookPath("terraform"); err != nil {
			return errors.New("no terraform on PATH; pass -terraform")
		}
	}
	tmp, err := os.MkdirTemp("", "kakiyo-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	d := &demo{out: out}

	d.say("Building the provider and the Kakiyo simulator")
	bin, err := sandbox.BuildProvider(ctx, repo, filepath.Join(tmp, "bin"))
	if err != nil {
		return err
	}
	sim := filepath.Join(tmp, "kakiyo-sim")
	if b, err := exec.CommandContext(ctx, "go", "build", "-C", repo, "-o", sim, "./internal/cmd/kakiyo-sim").CombinedOutput(); err != nil {
		return fmt.Errorf("building the simulator: %w\n%s", err, b)
	}

	addrFile := filepath.Join(tmp, "addr")
	simCmd := exec.CommandContext(ctx, sim, "-port", "0", "-addr-file", addrFile)
	if err := simCmd.Start(); err != nil {
		return err
	}
	defer func() { _ = simCmd.Process.Kill(); _ = simCmd.Wait() }()
	base, err := waitForFile(addrFile, 10*time.Second)
	if err != nil {
		return fmt.Errorf("the simulator did not start: %w", err)
	}
	d.admin = strings.TrimSuffix(base, kakiyotest.PathPrefix) + "/_sim"
	fmt.Fprintf(out, "    Kakiyo simulator listening on %s (any other address is never called)\n", base)

	sb, err := sandbox.New(terraform, bin, base, kakiyotest.DefaultAPIKey)
	if err != nil {
		return err
	}
	defer sb.Close()
	config, err := exampleConfig(repo)
	if err != nil {
		return err
	}
	if err := sb.WriteFile("main.tf", config); err != nil {
		return err
	}

	d.say("The team's catalog in Kakiyo: a product and a prompt (the simulator's back door adds them)")
	if err := d.post("/products", `{"name":"Kakiyo Pro","description":"LinkedIn outreach"}`); err != nil {
		return err
	}
	if err := d.post("/prompts", `{"name":"First touch","type":"invitation","model":"680321c8001e2f527d82"}`); err != nil {
		return err
	}

	d.say("terraform apply: the examples create an agent, a webhook for the CRM, do-not-contact entries, and an agency " +
		"setup: a client workspace, the client's lead invited, the agent assigned, a campaign")
	r := sb.Run(ctx, "apply", "-auto-approve", "-no-color")
	d.show(r.Output, func(l string) bool {
		return strings.Contains(l, "Creation complete") || strings.HasPrefix(l, "Apply complete")
	})
	if r.Err != nil {
		return fmt.Errorf("%w\n%s", r.Err, r.Output)
	}
	agents, err := d.agents()
	if err != nil || len(agents) != 1 {
		return fmt.Errorf("want one agent in the simulator, got %v (%w)", agents, err)
	}
	id := agents[0].ID

	d.say("terraform plan: the configuration and Kakiyo agree")
	r = sb.Run(ctx, "plan", "-detailed-exitcode", "-no-color")
	d.show(r.Output, func(l string) bool { return strings.HasPrefix(l, "No changes.") })
	if r.Err != nil {
		return fmt.Errorf("the plan is not empty: %w\n%s", r.Err, r.Output)
	}

	var hooks []struct {
		ID string `json:"id"`
	}
	if err := d.get("/webhooks", &hooks); err != nil || len(hooks) != 1 {
		return fmt.Errorf("want one webhook in the simulator, got %v (%w)", hooks, err)
	}
	d.say("Outside Terraform: Kakiyo disables the webhook after four failed deliveries, and someone removes " +
		"in/wei-chen from the Do Not Contact list in the dashboard")
	if err := d.post("/webhooks/"+hooks[0].ID+"/disable", ``); err != nil {
		return err
	}
	if err := d.del("/dnc?url=in/wei-chen"); err != nil {
		return err
	}
	d.say("terraform plan: both show, with what the apply will do")
	r = sb.Run(ctx, "plan", "-no-color")
	d.show(r.Output, func(l string) bool {
		t := strings.TrimSpace(l)
		return strings.HasPrefix(t, "~ active") || strings.HasPrefix(t, "~ unlisted_urls") || strings.HasPrefix(t, "- \"in/wei-chen\"") ||
			strings.HasPrefix(t, "# kakiyo_") || strings.HasPrefix(l, "Plan:")
	})
	if r.Err != nil || !strings.Contains(r.Output, "2 to change") {
		return fmt.Errorf("the plan does not show the drift: %w\n%s", r.Err, r.Output)
	}
	d.say("terraform apply: the webhook is re-enabled, the profile listed again")
	r = sb.Run(ctx, "apply", "-auto-approve", "-no-color")
	d.show(r.Output, func(l string) bool {
		return strings.Contains(l, "Modifications complete") || strings.HasPrefix(l, "Apply complete")
	})
	if r.Err != nil {
		return fmt.Errorf("%w\n%s", r.Err, r.Output)
	}

	d.say("Kakiyo connects the agent's LinkedIn account: agent %s is now running", id)
	if err := d.post("/agents/"+id+"/status", `{"status":"running"}`); err != nil {
		return err
	}

	d.say("terraform destroy: refused, because Kakiyo deletes only ended agents and the workspace is protected; " +
		"nothing at all is destroyed")
	r = sb.Run(ctx, "destroy", "-auto-approve", "-no-color")
	if r.Err == nil {
		return errors.New("the destroy of a running agent succeeded")
	}
	if !strings.Contains(r.Output, "Kakiyo agent not ended") || !strings.Contains(r.Output, id) || !strings.Contains(r.Output, `"running"`) {
		return fmt.Errorf("the refusal does not name the agent and its status:\n%s", r.Output)
	}
	if !strings.Contains(r.Output, "Kakiyo workspace deletion protection enabled") {
		return fmt.Errorf("the refusal does not name the protected workspace:\n%s", r.Output)
	}
	shown := 0
	d.show(r.Output, func(l string) bool {
		keep := shown < 22 && (strings.Contains(l, "Error:") || shown > 0)
		if keep {
			shown++
		}
		return keep
	})
	fmt.Fprintln(out, "    ...")
	d.show(r.Output, func(l string) bool { return strings.Contains(l, "Error: Kakiyo workspace deletion protection") })
	fmt.Fprintln(out, "    ...")
	if a, _ := d.agents(); len(a) != 1 {
		return errors.New("the refused destroy lost the agent")
	}
	var dnc []string
	if err := d.get("/dnc", &dnc); err != nil || len(dnc) != 4 {
		return fmt.Errorf("the refused destroy removed do-not-contact entries: %v (%w)", dnc, err)
	}
	fmt.Fprintln(out, "    The agent is still in Kakiyo and in the Terraform state; so are the webhook, the 4 do-not-contact entries and the agency setup.")

	d.say("Kakiyo ends the agent (the simulator's back door does what Kakiyo would)")
	if err := d.post("/agents/"+id+"/end", ``); err != nil {
		return err
	}

	exports := filepath.Join(tmp, "exports")
	sb.Setenv("KAKIYO_EXPORT_DIR", exports)
	d.say("The workspace's deletion_protection is lifted (an update that calls nothing)")
	if err := sb.WriteFile("main.tf", strings.Replace(config, "deletion_protection = true", "deletion_protection = false", 1)); err != nil {
		return err
	}
	r = sb.Run(ctx, "apply", "-auto-approve", "-no-color")
	d.show(r.Output, func(l string) bool { return strings.HasPrefix(l, "Apply complete") })
	if r.Err != nil {
		return fmt.Errorf("%w\n%s", r.Err, r.Output)
	}

	d.say("terraform destroy, with KAKIYO_EXPORT_DIR set: the ended agent is exported, then deleted with one DELETE; " +
		"the rest goes too, but the campaign, which Kakiyo cannot delete, is paused")
	r = sb.Run(ctx, "destroy", "-auto-approve", "-no-color")
	warned := false
	d.show(r.Output, func(l string) bool {
		if strings.Contains(l, "Warning: Kakiyo campaign paused, not deleted") {
			warned = true
		}
		return strings.Contains(l, "Destruction complete") || strings.HasPrefix(l, "Destroy complete") ||
			strings.Contains(l, "Warning: Kakiyo campaign") || strings.Contains(l, "It still exists in Kakiyo")
	})
	if !warned {
		return fmt.Errorf("the destroy did not say that the campaign stays, paused:\n%s", r.Output)
	}
	if r.Err != nil {
		return fmt.Errorf("%w\n%s", r.Err, r.Output)
	}
	if a, _ := d.agents(); len(a) != 0 {
		return fmt.Errorf("agents left after the destroy: %v", a)
	}
	if err := d.showExport(exports); err != nil {
		return err
	}

	var st kakiyotest.Stats
	if err := d.get("/stats", &st); err != nil {
		return err
	}
	d.say("Kakiyo API calls (each one is a credit): %d in all", st.Requests)
	for _, k := range slices.Sorted(maps.Keys(st.ByEndpoint)) {
		fmt.Fprintf(out, "    %-28s %d\n", k, st.ByEndpoint[k])
	}
	fmt.Fprintln(out, "\nDemo complete: the simulator is stopped and its files are removed.")
	return nil
}

func exampleConfig(repo string) (string, error) {
	var b strings.Builder
	for _, f := range []string{"examples/provider/provider.tf", "examples/resources/kakiyo_agent/resource.tf",
		"examples/resources/kakiyo_webhook/resource.tf", "examples/resources/kakiyo_dnc_entry/resource.tf",
		"examples/resources/kakiyo_dnc_list/resource.tf", "examples/data-sources/kakiyo_products/data-source.tf",
		"examples/data-sources/kakiyo_prompts/data-source.tf", "examples/resources/kakiyo_workspace/resource.tf",
		"examples/resources/kakiyo_workspace_client/resource.tf", "examples/resources/kakiyo_workspace_agent/resource.tf",
		"examples/resources/kakiyo_campaign/resource.tf"} {
		data, err := os.ReadFile(filepath.Join(repo, f))
		if err != nil {
			return "", err
		}
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String(), nil
}

type simAgent struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

func (d *demo) agents() ([]simAgent, error) {
	var a []simAgent
	return a, d.get("/agents", &a)
}

func (d *demo) get(path string, out any) error {
	resp, err := http.Get(d.admin + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

func (d *demo) del(path string) error {
	req, err := http.NewRequest(http.MethodDelete, d.admin+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("simulator back door %s: HTTP %d", path, resp.StatusCode)
	}
	return nil
}

func (d *demo) post(path, body string) error {
	resp, err := http.Post(d.admin+path, "application/json", bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("simulator back door %s: HTTP %d", path, resp.StatusCode)
	}
	return nil
}

func waitForFile(name string, limit time.Duration) (string, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(name); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b)), nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "", fmt.Errorf("no %s after %s", name, limit)
}

// showExport prints the record that export_dir kept of the deleted agent.
func (d *demo) showExport(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "agent-*.json"))
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("want one export in %s, got %v", dir, files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "    Written before the DELETE: %s (mode 0600)\n", filepath.Base(files[0]))
	for _, l := range strings.Split(string(b), "\n") {
		for _, k := range []string{`"kind"`, `"id"`, `"result"`, `"status"`, `"days"`, `"invitations_max"`} {
			if strings.Contains(l, k) {
				fmt.Fprintf(d.out, "    %s\n", strings.TrimSpace(l))
				break
			}
		}
	}
	return nil
}
