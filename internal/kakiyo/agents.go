package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// Agent statuses. The API reference lists the first six; delete and relaunch
// require "ended", which the reference's enum omits. Other values may appear
// and must be passed through untouched.
const (
	StatusSetupNeeded    = "setup_needed"
	StatusAuthNeeded     = "auth_needed"
	StatusAuthInProgress = "auth_in_progress"
	StatusRunning        = "running"
	StatusPaused         = "paused"
	StatusDisabled       = "disabled"
	StatusEnded          = "ended"
)

// Agent is the body of GET /agents/{id}. Every field but ID may be absent or
// null (a fresh setup_needed agent has no login, avatar or name yet).
type Agent struct {
	ID       string  `json:"id"`
	Name     *string `json:"name"`
	Status   string  `json:"status"`
	Login    *string `json:"login"`
	Country  *string `json:"country"`
	Avatar   *string `json:"avatar"`
	NextTask *string `json:"nextTask"`
	Usage    *Usage  `json:"usage"`
	Alerts   []Alert `json:"alerts"`

	// Summary is set on an agent from GET /agents whose item lacks (or has
	// null) part of what GET /agents/{id} answers: status, usage,
	// usage.workingHours or alerts. A list may show less than the agent, and
	// only a read by id tells the rest.
	Summary bool `json:"-"`
}

// markSummary sets Summary on a listed agent.
func (a *Agent) markSummary() {
	a.Summary = a.Status == "" || a.Usage == nil || a.Usage.WorkingHours == nil || a.Alerts == nil
}

// Usage holds an agent's counters and working hours.
type Usage struct {
	Invitations      *int64        `json:"invitations"`
	InvitationsDaily *int64        `json:"invitationsDaily"`
	Messages         *int64        `json:"messages"`
	MessagesDaily    *int64        `json:"messagesDaily"`
	NextInvitation   *string       `json:"nextInvitation"`
	NextMessage      *string       `json:"nextMessage"`
	WorkingHours     *WorkingHours `json:"workingHours"`
}

// WorkingHours as returned by GET. Timezone is read-only.
type WorkingHours struct {
	Days     *string  `json:"days"`
	Start    *string  `json:"start"`
	Stop     *string  `json:"stop"`
	Timezone *float64 `json:"timezone"`
}

// Alert is one entry of an agent's alerts.
type Alert struct {
	Type     *string `json:"type"`
	SubType  *string `json:"subType"`
	Message  *string `json:"message"`
	Severity *string `json:"severity"`
}

// AgentUpdate is the body of PUT /agents/{id}: every section is optional and
// only the sections that are set are sent.
type AgentUpdate struct {
	WorkingHours *WorkingHoursUpdate `json:"workingHours,omitempty"`
	Limits       *Limits             `json:"limits,omitempty"`
	Settings     []Setting           `json:"settings,omitempty"`
}

// IsEmpty reports whether the update would send nothing.
func (u AgentUpdate) IsEmpty() bool {
	return u.WorkingHours == nil && u.Limits == nil && len(u.Settings) == 0
}

// WorkingHoursUpdate is the workingHours section of an update; nil fields
// are not sent.
type WorkingHoursUpdate struct {
	Days  *string `json:"days,omitempty"`
	Start *string `json:"start,omitempty"`
	Stop  *string `json:"stop,omitempty"`
}

// Limits is the limits section of an update; nil fields are not sent.
type Limits struct {
	InvitationsMin *int64 `json:"invitationsMin,omitempty"`
	InvitationsMax *int64 `json:"invitationsMax,omitempty"`
	MessagesMin    *int64 `json:"messagesMin,omitempty"`
	MessagesMax    *int64 `json:"messagesMax,omitempty"`
}

// Setting keys accepted by PUT /agents/{id}.
const (
	SettingSkipInNetwork   = "skipInNetwork"
	SettingInvitationsOnly = "invitationsOnly"
)

// Setting is one {key, value} entry of the settings section.
type Setting struct {
	Key   string `json:"key"`
	Value bool   `json:"value"`
}

// The agent endpoints. Kakiyo documents no limit of its own for them: the
// general 60 requests a minute applies.
var (
	epListAgents    = endpoint{method: "GET", template: "/agents"}
	epCreateAgent   = endpoint{method: "POST", template: "/agents", creates: true}
	epGetAgent      = endpoint{method: "GET", template: "/agents/{id}"}
	epUpdateAgent   = endpoint{method: "PUT", template: "/agents/{id}"}
	epDeleteAgent   = endpoint{method: "DELETE", template: "/agents/{id}"}
	epPauseAgent    = endpoint{method: "POST", template: "/agents/{id}/pause"}
	epResumeAgent   = endpoint{method: "POST", template: "/agents/{id}/resume"}
	epSetupAgent    = endpoint{method: "POST", template: "/agents/{id}/setup"}
	epRelaunchAgent = endpoint{method: "POST", template: "/agents/{id}/relaunch"}
	agentList       = list[Agent]{ep: epListAgents, noun: "agents", keys: listKeys, id: func(a *Agent) string { return a.ID }}
	agentEnvelopes  = []string{"agent", "data"}
)

// listKeys are the keys under which GET /agents may hold its items. The
// shape is not documented: other Kakiyo lists use "models", "workspaces" or
// "data": {"entries": ...}.
var listKeys = []string{"agents", "data", "items", "results", "entries"}

func agentPath(id string) string { return "/agents/" + url.PathEscape(id) }

// ErrNoAgentID is why an answer to POST /agents is not the new agent: it
// holds no agent id. It comes inside an *UnknownOutcomeError: Kakiyo
// handled the request, so it may have created the agent.
var ErrNoAgentID = errors.New("kakiyo API POST /agents: the response holds no agent id")

// CreateAgent calls POST /agents (no body). The response shape is not
// documented: a bare agent object, or one wrapped in "agent" or "data", are
// accepted. The returned Agent has at least ID; Status is empty when the API
// answered with less than a full agent.
func (c *Client) CreateAgent(ctx context.Context) (*Agent, error) {
	var raw json.RawMessage
	// Not repeated once Kakiyo may have received it: see epCreateAgent.
	if err := c.do(ctx, epCreateAgent, epCreateAgent.template, nil, &raw); err != nil {
		return nil, err
	}
	agent, err := decodeAgentEnvelope(raw)
	if err != nil {
		return nil, c.notTheObject(epCreateAgent, raw, err)
	}
	if agent.ID == "" {
		return nil, c.notTheObject(epCreateAgent, raw, ErrNoAgentID)
	}
	c.trust()
	return agent, nil
}

func decodeAgentEnvelope(raw json.RawMessage) (*Agent, error) {
	var a Agent
	if err := unwrap(raw, agentEnvelopes, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// ListAgents calls GET /agents and returns every agent of the key's team
// (see list.each for the shapes and paging it accepts). Agents whose item
// lacks part of an agent have Summary set.
func (c *Client) ListAgents(ctx context.Context) ([]Agent, error) {
	var all []Agent
	err := c.ListAgentPages(ctx, func(agents []Agent) error {
		all = append(all, agents...)
		return nil
	})
	return all, err
}

// ListAgentPages calls GET /agents and hands each page's agents to fn as
// the page arrives, one API call per page; an error from fn stops it.
func (c *Client) ListAgentPages(ctx context.Context, fn func([]Agent) error) error {
	return agentList.each(ctx, c, func(agents []Agent) error {
		for i := range agents {
			agents[i].markSummary()
		}
		return fn(agents)
	})
}

func decodeAgentPage(raw json.RawMessage) (page[Agent], error) { return agentList.decode(raw) }

// GetAgent calls GET /agents/{id}.
func (c *Client) GetAgent(ctx context.Context, id string) (*Agent, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epGetAgent, agentPath(id), nil, &raw); err != nil {
		return nil, err
	}
	a, err := decodeAgentEnvelope(raw)
	if err == nil {
		err = sameID("agent", id, a.ID)
	}
	if err != nil {
		return nil, &DecodeError{Method: "GET", Path: agentPath(id), StatusCode: http.StatusOK, Body: c.snippet(raw), Err: err}
	}
	c.trust()
	return a, nil
}

// UpdateAgent calls PUT /agents/{id} with the sections set in u.
func (c *Client) UpdateAgent(ctx context.Context, id string, u AgentUpdate) error {
	return c.do(ctx, epUpdateAgent, agentPath(id), u, nil)
}

// PauseAgent calls POST /agents/{id}/pause.
func (c *Client) PauseAgent(ctx context.Context, id string) error {
	return c.do(ctx, epPauseAgent, agentPath(id)+"/pause", nil, nil)
}

// ResumeAgent calls POST /agents/{id}/resume.
func (c *Client) ResumeAgent(ctx context.Context, id string) error {
	return c.do(ctx, epResumeAgent, agentPath(id)+"/resume", nil, nil)
}

// DeleteAgent calls DELETE /agents/{id}. Kakiyo deletes only agents whose
// status is "ended"; otherwise it answers invalid_status (see IsInvalidStatus
// and CurrentStatus). A not_found answer is returned as is: whether that
// counts as success is the caller's decision.
func (c *Client) DeleteAgent(ctx context.Context, id string) error {
	return c.do(ctx, epDeleteAgent, agentPath(id), nil, nil)
}

// AgentSetup is the body of POST /agents/{id}/setup: the LinkedIn account the
// agent works with. The endpoint is known only from Kakiyo's n8n node.
// Password is sent once and never logged.
type AgentSetup struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Country  string `json:"country,omitempty"`
}

// SetupAgent calls POST /agents/{id}/setup.
func (c *Client) SetupAgent(ctx context.Context, id string, s AgentSetup) error {
	return c.do(ctx, epSetupAgent, agentPath(id)+"/setup", s, nil)
}

// RelaunchAgent calls POST /agents/{id}/relaunch: an ended agent returns to
// setup_needed, its LinkedIn session, proxy and alerts wiped, its id kept.
// Any other status gets invalid_status (see IsInvalidStatus and
// CurrentStatus).
//
// A relaunch whose answer was lost may be retried like any request; the
// retry then meets invalid_status with the status setup_needed, which
// Relaunched tells apart.
func (c *Client) RelaunchAgent(ctx context.Context, id string) error {
	return c.do(ctx, epRelaunchAgent, agentPath(id)+"/relaunch", nil, nil)
}

// Relaunched reports whether err, from RelaunchAgent, means that the agent
// was relaunched after all: an earlier attempt reached Kakiyo, and the
// retry found the agent already in setup_needed.
func Relaunched(err error) bool {
	var re *RetryError
	return errors.As(err, &re) && re.Attempts > 1 && IsInvalidStatus(err) && CurrentStatus(err) == StatusSetupNeeded
}
