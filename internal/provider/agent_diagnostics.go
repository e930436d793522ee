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
// it is not ended. With err nil it is the plan-time refusal, from the status
// in state; otherwise it is Kakiyo's invalid_status answer to DELETE, and
// currentStatus is the status Kakiyo gave.
func agentNotEndedDiagnostic(agentID, currentStatus string, err error) diag.Diagnostic {
	status := currentStatus
	if status == "" {
		status = "unknown"
	}
	var b strings.Builder
	if err == nil {
		fmt.Fprintf(&b, "Terraform will not delete agent %q: its status is %q (as of the last refresh). ", agentID, status)
		b.WriteString("Kakiyo deletes an agent only when its status is \"ended\", so the plan stops here, ")
		b.WriteString("before anything at all is destroyed.\n\n")
		b.WriteString("Nothing was deleted; the agent stays in Kakiyo and in the Terraform state. ")
		b.WriteString("(If the agent has ended since the last refresh, plan again without -refresh=false.)\n\n")
		b.WriteString(refreshOnlyNote)
	} else {
		fmt.Fprintf(&b, "Kakiyo refused to delete agent %q because its status is %q. ", agentID, status)
		b.WriteString("Kakiyo deletes an agent only when its status is \"ended\".\n\n")
		b.WriteString("The agent was not deleted and stays in the Terraform state.\n\n")
	}
	b.WriteString(notEndedRemedies)
	if err != nil {
		b.WriteString("\n\nKakiyo's answer:\n")
		b.WriteString(describe(err))
	}
	return diag.NewErrorDiagnostic("Kakiyo agent not ended", b.String())
}

// refreshOnlyNote explains the refusal in a refresh-only run: Terraform 1.11
// and later plan the destroy of a resource removed from the configuration
// even then, and nothing in the request tells the provider the run's mode.
const refreshOnlyNote = `If this is a refresh-only run (-refresh-only), nothing would have been
destroyed, but Terraform still asks the provider to plan the destroy of an
agent whose resource block was removed, and does not tell it that the run is
refresh-only: the provider must refuse as for any destroy. Put the resource
block back, or use the removed block below (option 2).

`

const notEndedRemedies = `To go on, do one of these:
  1. End the agent in Kakiyo, then run the destroy again. No public API call
     ends an agent: it ends outside Terraform (in the Kakiyo dashboard, or by
     Kakiyo support).
  2. Keep the agent and stop managing it with Terraform:
     - with Terraform 1.7 or later, replace its resource block with
         removed {
           from = kakiyo_agent.<name>
           lifecycle {
             destroy = false
           }
         }
       and apply;
     - or run: terraform state rm 'kakiyo_agent.<name>'`
