package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// The agent's own diagnostics, and the agent's words for the shared ones.

func agentObject(id string) object { return object{noun: "agent", id: id} }

// agentMayHaveCreatedDiagnostic: POST /agents reached Kakiyo, whose answer
// was a server error or was lost, and the listing that would have told
// whether Kakiyo created the agent could not be made (unresolved says why).
func agentMayHaveCreatedDiagnostic(err, unresolved error) diag.Diagnostic {
	why := ""
	if unresolved != nil {
		why = fmt.Sprintf("Listing the team's agents, to find the agent this run may have created, failed too: %v. ",
			unresolved)
	}
	return mayHaveCreatedDiagnostic("agent", err, why+
		"Look for a new agent in status \"setup_needed\" (the kakiyo_agents data source with "+
		"status = \"setup_needed\", or the Kakiyo dashboard). If there is one, adopt it: "+
		"terraform import 'kakiyo_agent.<name>' <id> (or an import block), then apply. Otherwise, apply again.")
}

// agentAdoptedDiagnostic: a create's answer was lost, and the listing made
// after it showed the one agent it made, which the provider adopted.
func agentAdoptedDiagnostic(id string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Kakiyo agent adopted after a lost answer", fmt.Sprintf(
		"The answer to creating this agent was lost:\n\n%s\n\n"+
			"A listing of the team's agents made right after shows agent %q: new since this run began, in status "+
			"\"setup_needed\", and claimed by no other create of this run. It is the agent this create made, so "+
			"the provider adopted it and went on with its setup as if the answer had arrived. Nothing was created "+
			"twice. (New agents are alike: if someone else created exactly one agent in this team during this run "+
			"while Kakiyo made none for this create, the adopted agent is theirs; the Kakiyo dashboard shows who "+
			"created it.)", describe(err), id))
}

// agentNotCreatedDiagnostic: the answers of a create and of its retries
// were lost, and each time a listing showed that Kakiyo made no agent.
func agentNotCreatedDiagnostic(attempts int, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Kakiyo agent not created", fmt.Sprintf(
		"The answers to creating this agent were lost %d times; the last one:\n\n%s\n\n"+
			"Each time, a listing of the team's agents showed that Kakiyo created no agent, so nothing was "+
			"created and nothing is saved in the state. Check the connection to Kakiyo, then apply again.",
		attempts, describe(err)))
}

// agentCandidatesDiagnostic: a create's answer was lost, and the listing
// made after it showed more new agents than this run's lost answers, so
// none was adopted.
func agentCandidatesDiagnostic(ids []string, unsure bool, err error) diag.Diagnostic {
	var b strings.Builder
	fmt.Fprintf(&b, "The answer to creating this agent was lost:\n\n%s\n\n", describe(err))
	if unsure {
		fmt.Fprintf(&b, "A listing of the team's agents made right after shows %d new agent(s) in status "+
			"\"setup_needed\" that no create of this run claimed. One may be the agent this run created, or another "+
			"run (or person) using this API key may have created it meanwhile: new agents cannot be told apart. "+
			"With adopt_lost_creates = false, the provider adopts none, so that two runs never manage one agent, "+
			"and saved nothing in the state. The candidates:\n\n", len(ids))
	} else {
		fmt.Fprintf(&b, "A listing of the team's agents made right after shows %d new agents in status \"setup_needed\" "+
			"that no create of this run claimed, more than this run's lost answers: someone else created agents in "+
			"this team meanwhile. The provider adopts an agent only when it cannot be someone else's, so it adopted "+
			"none and saved nothing in the state. The candidates:\n\n", len(ids))
	}
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s\n", id)
	}
	b.WriteString("\nOne of them may be the agent this run created. Check them in the Kakiyo dashboard, and adopt " +
		"yours with its import block (the resource of this create as <name>), then apply; the others are not " +
		"yours to manage:\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "\n  import {\n    to = kakiyo_agent.<name>\n    id = %q\n  }\n", id)
	}
	summary := "Kakiyo may have created an agent: several candidates"
	if unsure {
		summary = "Kakiyo may have created an agent: not adopted"
	}
	return diag.NewErrorDiagnostic(summary, b.String())
}

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
