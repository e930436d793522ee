package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// The agent's own diagnostics, and the agent's words for the shared ones.

func agentObject(id string) object { return object{noun: "agent", id: id} }

func agentDeletionProtectedDiagnostic(id string) diag.Diagnostic {
	return deletionProtectedDiagnostic(agentObject(id), " (Kakiyo also requires the agent to be ended)")
}

func agentCreateIncompleteDiagnostic(id, step string, err error) diag.Diagnostic {
	return createIncompleteDiagnostic(agentObject(id), "kakiyo_agent", step, err,
		", which needs the agent to be ended first (Kakiyo deletes only ended agents)")
}

// agentNotEndedDiagnostic explains that an agent cannot be deleted because
// it is not ended, in at most 20 lines as Terraform shows it. With err nil
// it is the plan-time refusal, from the status this run read; otherwise it
// is Kakiyo's invalid_status answer to DELETE, and currentStatus is the
// status Kakiyo gave.
func agentNotEndedDiagnostic(agentID, currentStatus string, err error) diag.Diagnostic {
	status := currentStatus
	if status == "" {
		status = "unknown"
	}
	var b strings.Builder
	if err == nil {
		fmt.Fprintf(&b, "Terraform will not delete agent %q: its status is %q (read by this run), and ", agentID, status)
		b.WriteString("Kakiyo deletes only ended agents. Nothing was destroyed; the agent stays in Kakiyo and in the ")
		b.WriteString("state.\n\n")
	} else {
		fmt.Fprintf(&b, "Kakiyo refused to delete agent %q: its status is %q, and Kakiyo deletes only ended agents. ",
			agentID, status)
		b.WriteString("The agent was not deleted and stays in the state.\n\n")
	}
	b.WriteString(notEndedRemedies)
	if err == nil {
		b.WriteString("\n\n" + refreshOnlyNote)
	} else {
		b.WriteString("\n\nKakiyo's answer:\n")
		b.WriteString(describe(err))
	}
	return diag.NewErrorDiagnostic("Kakiyo agent not ended", b.String())
}

// refreshOnlyNote points to the docs for the refusal in a refresh-only run:
// Terraform 1.11 and later plan the destroy of a resource removed from the
// configuration even then, and nothing in the request tells the provider the
// run's mode, so it must refuse as for any destroy. The docs (the
// kakiyo_agent page and the offboarding guide, "Refresh-only runs") explain
// it.
const refreshOnlyNote = `Refresh-only run? See "Refresh-only runs" (agent docs, offboarding guide).`

// notEndedRemedies are the ways out of a not-ended refusal.
const notEndedRemedies = `Ways out:
  - end the agent in Kakiyo (dashboard or support: no API call ends one),
    then destroy again;
  - or keep it and have Terraform forget it: lifecycle { destroy = false }
    in its resource block (Terraform 1.16+, OpenTofu 1.12+), a removed block
    with lifecycle { destroy = false } (1.7+), or terraform state rm.`
