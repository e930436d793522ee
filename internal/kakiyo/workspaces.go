package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// Agency client workspaces (Kakiyo API reference, "Workspaces", all
// documented; every endpoint needs Kakiyo's Agency plan, and the answer a
// team without it gets is not documented: see NeedsAgencyPlan).

// Workspace is a client workspace.
type Workspace struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ClientTeamID string `json:"clientTeamId"`
	CreatedAt    string `json:"createdAt"`
}

// UnmarshalJSON accepts "id" or "$id", and "$createdAt".
func (w *Workspace) UnmarshalJSON(b []byte) error {
	type plain Workspace
	if err := json.Unmarshal(b, (*plain)(w)); err != nil {
		return err
	}
	appwriteID(b, &w.ID)
	if w.CreatedAt == "" {
		var alt struct {
			CreatedAt string `json:"$createdAt"`
		}
		if json.Unmarshal(b, &alt) == nil {
			w.CreatedAt = alt.CreatedAt
		}
	}
	return nil
}

// WorkspaceDeleteStats is what a workspace's deletion undid.
type WorkspaceDeleteStats struct {
	AgentsUnassigned int `json:"agentsUnassigned"`
	CampaignsUpdated int `json:"campaignsUpdated"`
	ChatsUpdated     int `json:"chatsUpdated"`
}

// ClientInvite is the body of POST /workspaces/{id}/invite.
type ClientInvite struct {
	Email       string   `json:"email"`
	Roles       []string `json:"roles,omitempty"`
	RedirectURL string   `json:"redirectUrl,omitempty"`
}

// Membership is the answer to an invitation.
type Membership struct {
	MembershipID string `json:"membershipId"`
	UserID       string `json:"userId"`
	Email        string `json:"email"`
	PortalURL    string `json:"portalUrl"`
	EmailSent    *bool  `json:"emailSent"`
}

// Propagated counts what an agent's (un)assignment changed.
type Propagated struct {
	Campaigns int `json:"campaigns"`
	Chats     int `json:"chats"`
	Prospects int `json:"prospects"`
}

var (
	// A workspace has no idempotency key: a create repeated after a lost
	// answer would make a second one.
	epCreateWorkspace = endpoint{method: "POST", template: "/workspaces", creates: true}
	epListWorkspaces  = endpoint{method: "GET", template: "/workspaces"}
	epDeleteWorkspace = endpoint{method: "DELETE", template: "/workspaces/{id}"}
	epInviteClient    = endpoint{method: "POST", template: "/workspaces/{id}/invite"}
	epRemoveClient    = endpoint{method: "DELETE", template: "/workspaces/{id}/clients"}
	epAssignAgent     = endpoint{method: "POST", template: "/workspaces/{id}/agents/{agentId}"}
	epUnassignAgent   = endpoint{method: "DELETE", template: "/workspaces/{id}/agents/{agentId}"}
	workspaceList     = list[Workspace]{ep: epListWorkspaces, noun: "workspaces", keys: []string{"workspaces", "data", "items"},
		id: func(w *Workspace) string { return w.ID }}
	errNoWorkspaceID = errors.New("kakiyo API POST /workspaces: the response holds no workspace id")
)

func workspacePath(id string) string { return "/workspaces/" + url.PathEscape(id) }

// CreateWorkspace calls POST /workspaces.
func (c *Client) CreateWorkspace(ctx context.Context, name string) (*Workspace, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epCreateWorkspace, "/workspaces", map[string]string{"name": name}, &raw); err != nil {
		return nil, err
	}
	var w Workspace
	if err := unwrap(raw, []string{"workspace", "data"}, &w); err != nil {
		return nil, c.notTheObject(epCreateWorkspace, raw, err)
	}
	if w.ID == "" {
		return nil, c.notTheObject(epCreateWorkspace, raw, errNoWorkspaceID)
	}
	if w.Name == "" {
		w.Name = name
	}
	c.trust()
	return &w, nil
}

// ListWorkspacePages calls GET /workspaces and hands each page to fn.
func (c *Client) ListWorkspacePages(ctx context.Context, fn func([]Workspace) error) error {
	return workspaceList.each(ctx, c, fn)
}

// DeleteWorkspace calls DELETE /workspaces/{id}: irreversible; every agent
// of the workspace is unassigned. not_found is returned as is.
func (c *Client) DeleteWorkspace(ctx context.Context, id string) (*WorkspaceDeleteStats, error) {
	var ans struct {
		Stats *WorkspaceDeleteStats `json:"stats"`
	}
	var raw json.RawMessage
	if err := c.do(ctx, epDeleteWorkspace, workspacePath(id), nil, &raw); err != nil {
		return nil, err
	}
	_ = unwrap(raw, []string{"data"}, &ans) // the stats are informative only
	return ans.Stats, nil
}

// InviteClient calls POST /workspaces/{id}/invite.
func (c *Client) InviteClient(ctx context.Context, workspaceID string, in ClientInvite) (*Membership, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epInviteClient, workspacePath(workspaceID)+"/invite", in, &raw); err != nil {
		return nil, err
	}
	var m Membership
	if err := unwrap(raw, []string{"membership", "data"}, &m); err != nil {
		return nil, &DecodeError{Method: "POST", Path: workspacePath(workspaceID) + "/invite", StatusCode: 200, Body: c.snippet(raw), Err: err}
	}
	if m.Email == "" {
		m.Email = in.Email
	}
	return &m, nil
}

// RemoveClient calls DELETE /workspaces/{id}/clients with the e-mail in the
// body. not_found is returned as is.
func (c *Client) RemoveClient(ctx context.Context, workspaceID, email string) error {
	return c.do(ctx, epRemoveClient, workspacePath(workspaceID)+"/clients", map[string]string{"email": email}, nil)
}

// AssignAgent calls POST /workspaces/{id}/agents/{agentId}.
func (c *Client) AssignAgent(ctx context.Context, workspaceID, agentID string) (*Propagated, error) {
	var ans struct {
		Propagated *Propagated `json:"propagated"`
	}
	var raw json.RawMessage
	if err := c.do(ctx, epAssignAgent, workspacePath(workspaceID)+"/agents/"+url.PathEscape(agentID), nil, &raw); err != nil {
		return nil, err
	}
	_ = unwrap(raw, []string{"data"}, &ans)
	return ans.Propagated, nil
}

// UnassignAgent calls DELETE /workspaces/{id}/agents/{agentId}. not_found is
// returned as is.
func (c *Client) UnassignAgent(ctx context.Context, workspaceID, agentID string) error {
	return c.do(ctx, epUnassignAgent, workspacePath(workspaceID)+"/agents/"+url.PathEscape(agentID), nil, nil)
}

// NeedsAgencyPlan reports whether err is how Kakiyo may refuse a team
// without the Agency plan: the answer is not documented, so 402, or a 403
// whose code or message speaks of a plan, an agency or a subscription
// (a bare 403 on a workspace endpoint may be that too: see IsForbidden).
func NeedsAgencyPlan(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	text := strings.ToLower(e.Code + " " + e.Message)
	return e.StatusCode == http.StatusPaymentRequired ||
		(e.StatusCode == http.StatusForbidden && (strings.Contains(text, "agency") || strings.Contains(text, "plan")))
}
