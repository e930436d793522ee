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
func agentCandidatesDiagnostic(ids []string, err error) diag.Diagnostic {
	var b strings.Builder
	fmt.Fprintf(&b, "The answer to creating this agent was lost:\n\n%s\n\n", describe(err))
	fmt.Fprintf(&b, "A listing of the team's agents made right after shows %d new agents in status \"setup_needed\" "+
		"that no create of this run claimed, more than this run's lost answers: someone else created agents in "+
		"this team meanwhile. The provider adopts an agent only when it cannot be someone else's, so it adopted "+
		"none and saved nothing in the state. The candidates:\n\n", len(ids))
	for _, id := range ids {
		fmt.Fprintf(&b, "  %s\n", id)
	}
	b.WriteString("\nOne of them may be the agent this run created. Check them in the Kakiyo dashboard, and adopt " +
		"yours with its import block (the resource of this create as <name>), then apply; the others are not " +
		"yours to manage:\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "\n  import {\n    to = kakiyo_agent.<name>\n    id = %q\n  }\n", id)
	}
	return diag.NewErrorDiagnostic("Kakiyo may have created an agent: several candidates", b.String())
}

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
// kakiyo_agent page, "Refresh-only runs") explain it.
const refreshOnlyNote = `In a refresh-only run? See "Refresh-only runs" on the kakiyo_agent page.`

// notEndedRemedies are the ways out of a not-ended refusal.
const notEndedRemedies = `Ways out:
  - end the agent in Kakiyo (dashboard or support: no API call ends one),
    then destroy again;
  - or keep it and have Terraform forget it: lifecycle { destroy = false }
    in its resource block (Terraform 1.16+, OpenTofu 1.12+), a removed block
    with lifecycle { destroy = false } (1.7+), or terraform state rm.`
