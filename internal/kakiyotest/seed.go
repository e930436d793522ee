package kakiyotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The state document: everything the double holds of Kakiyo's objects, as
// JSON with the API's own field names. kakiyo-sim -state starts from one,
// -dump and GET /_sim/state write one, and the provider's golden-state test
// seeds the double with one. Passwords and webhook secrets are not part of
// it: Kakiyo never shows them, so nothing a client sees depends on them.

// StateFormat is the version of the state document this double reads and
// writes. A later format stays able to read this one.
const StateFormat = 1

// State is a state document.
type State struct {
	// Format is StateFormat (0 when left out means StateFormat).
	Format     int              `json:"format,omitempty"`
	Products   []StateProduct   `json:"products,omitempty"`
	Prompts    []StatePrompt    `json:"prompts,omitempty"`
	Agents     []StateAgent     `json:"agents,omitempty"`
	Webhooks   []StateWebhook   `json:"webhooks,omitempty"`
	DNC        []StateDNCEntry  `json:"dnc,omitempty"`
	Workspaces []StateWorkspace `json:"workspaces,omitempty"`
	Campaigns  []StateCampaign  `json:"campaigns,omitempty"`
}

// StateProduct is a product of the catalog (GET /products).
type StateProduct struct {
	ID          string `json:"id,omitempty"`
	Team        string `json:"team,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// StatePrompt is a prompt of the catalog (GET /prompts).
type StatePrompt struct {
	ID    string `json:"id,omitempty"`
	Team  string `json:"team,omitempty"`
	Name  string `json:"name"`
	Type  string `json:"type,omitempty"`
	Model string `json:"model,omitempty"`
}

// StateAgent is an agent, including what GET /agents/{id} does not show
// (limits and settings, as last sent).
type StateAgent struct {
	ID                string             `json:"id,omitempty"`
	Team              string             `json:"team,omitempty"`
	Status            string             `json:"status,omitempty"` // default running
	StatusBeforePause string             `json:"statusBeforePause,omitempty"`
	Name              string             `json:"name,omitempty"`
	Login             string             `json:"login,omitempty"`
	Country           string             `json:"country,omitempty"`
	Avatar            string             `json:"avatar,omitempty"`
	NextTask          string             `json:"nextTask,omitempty"`
	Usage             *StateAgentUsage   `json:"usage,omitempty"`
	WorkingHours      *StateWorkingHours `json:"workingHours,omitempty"`
	Limits            map[string]int64   `json:"limits,omitempty"`   // invitationsMin, invitationsMax, messagesMin, messagesMax
	Settings          map[string]bool    `json:"settings,omitempty"` // skipInNetwork, invitationsOnly
	Alerts            []Alert            `json:"alerts,omitempty"`
}

// StateAgentUsage is an agent's usage counters.
type StateAgentUsage struct {
	Invitations      int64  `json:"invitations,omitempty"`
	InvitationsDaily int64  `json:"invitationsDaily,omitempty"`
	Messages         int64  `json:"messages,omitempty"`
	MessagesDaily    int64  `json:"messagesDaily,omitempty"`
	NextInvitation   string `json:"nextInvitation,omitempty"`
	NextMessage      string `json:"nextMessage,omitempty"`
}

// StateWorkingHours is an agent's working hours (default Monday to Friday,
// 09:00 to 17:00, timezone 0).
type StateWorkingHours struct {
	Days     string  `json:"days,omitempty"`
	Start    string  `json:"start,omitempty"`
	Stop     string  `json:"stop,omitempty"`
	Timezone float64 `json:"timezone,omitempty"`
}

// StateWebhook is a webhook (active unless "active": false).
type StateWebhook struct {
	ID     string   `json:"id,omitempty"`
	Team   string   `json:"team,omitempty"`
	Name   string   `json:"name"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Active *bool    `json:"active,omitempty"`
}

// StateDNCEntry is a profile on the Do Not Contact list, in any spelling
// Kakiyo accepts (stored normalised).
type StateDNCEntry struct {
	ID        string `json:"id,omitempty"`
	Team      string `json:"team,omitempty"`
	URL       string `json:"url"`
	CreatedAt string `json:"createdAt,omitempty"` // RFC 3339
}

// StateWorkspace is an agency client workspace, with its clients and the
// ids of the agents assigned to it.
type StateWorkspace struct {
	ID           string                 `json:"id,omitempty"`
	Team         string                 `json:"team,omitempty"`
	Name         string                 `json:"name"`
	ClientTeamID string                 `json:"clientTeamId,omitempty"`
	CreatedAt    string                 `json:"createdAt,omitempty"` // RFC 3339
	Clients      []StateWorkspaceClient `json:"clients,omitempty"`
	Agents       []string               `json:"agents,omitempty"`
}

// StateWorkspaceClient is a person invited into a workspace.
type StateWorkspaceClient struct {
	Email        string   `json:"email"`
	Roles        []string `json:"roles,omitempty"` // default ["member"]
	RedirectURL  string   `json:"redirectUrl,omitempty"`
	MembershipID string   `json:"membershipId,omitempty"`
	UserID       string   `json:"userId,omitempty"`
}

// StateCampaign is a campaign.
type StateCampaign struct {
	ID                        string            `json:"id,omitempty"`
	Team                      string            `json:"team,omitempty"`
	Name                      string            `json:"name"`
	AgentID                   string            `json:"agentId"`
	ProductID                 string            `json:"productId"`
	PromptID                  string            `json:"promptId"`
	QualificationAutomatic    *int64            `json:"qualificationAutomatic,omitempty"`    // default 70
	QualificationVerification *int64            `json:"qualificationVerification,omitempty"` // default 50
	Variables                 map[string]string `json:"variables,omitempty"`
	Status                    string            `json:"status,omitempty"` // default active
	CreatedAt                 string            `json:"createdAt,omitempty"`
}

// ReadState decodes a state document strictly: an unknown field, a second
// document or a value of the wrong type is an error that says where.
func ReadState(r io.Reader) (State, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var st State
	if err := dec.Decode(&st); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return State{}, fmt.Errorf("not valid JSON at byte %d: %w", se.Offset, err)
		case errors.As(err, &te):
			return State{}, fmt.Errorf("%s: must be %s, not a JSON %s", te.Field, goKind(te.Type.Kind().String()), te.Value)
		}
		return State{}, err
	}
	if dec.More() {
		return State{}, errors.New("more than one JSON document")
	}
	return st, nil
}

func goKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "float"):
		return "a number"
	case k == "bool":
		return "true or false"
	case k == "slice":
		return "a list"
	case k == "map", k == "struct":
		return "an object"
	}
	return "a " + k
}

// ReadStateFile reads a state document from a file; errors name the file.
func ReadStateFile(path string) (State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return State{}, err
	}
	st, err := ReadState(bytes.NewReader(b))
	if err != nil {
		return State{}, fmt.Errorf("%s: %w", path, err)
	}
	return st, nil
}

var (
	idRe         = regexp.MustCompile(`^[a-z0-9]{20}$`)
	agentStatus  = []string{"setup_needed", "auth_needed", "auth_in_progress", "running", "paused", "ended", "disabled"}
	campaignStat = []string{"active", "paused", "completed"}
	limitRanges  = map[string][2]int64{"invitationsMin": {1, 100}, "invitationsMax": {2, 100}, "messagesMin": {1, 500}, "messagesMax": {2, 500}}
)

// seedErrors collects what is wrong with a state document, each with its
// place in it ("agents[1].workingHours.days").
type seedErrors []string

func (e *seedErrors) add(where, format string, args ...any) {
	*e = append(*e, where+": "+fmt.Sprintf(format, args...))
}

func checkTime(errs *seedErrors, where, v string) {
	if _, err := time.Parse(time.RFC3339Nano, v); v != "" && err != nil {
		errs.add(where, "must be a time in RFC 3339 form, such as 2026-01-01T00:00:00Z")
	}
}

// LoadState adds the objects of a state document to the double, as if they
// had been made in Kakiyo: all of them, or (when anything in it is wrong)
// none, with an error that lists every problem. Ids left out are given as
// the double gives them; ids given must be 20 lowercase letters and digits
// like Kakiyo's, and new objects never reuse one.
func (s *Server) LoadState(st State) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs seedErrors
	if st.Format != 0 && st.Format != StateFormat {
		errs.add("format", "is %d; this simulator reads format %d", st.Format, StateFormat)
	}
	team := func(t string) string {
		if t == "" {
			return DefaultTeam
		}
		return t
	}
	// ids: every id given, by kind, must be well formed and new.
	taken := map[string]map[string]bool{}
	checkID := func(kind, where, id string, exists bool) {
		if id == "" {
			return
		}
		if !idRe.MatchString(id) {
			errs.add(where+".id", "%q is not an id of 20 lowercase letters and digits", id)
			return
		}
		if taken[kind] == nil {
			taken[kind] = map[string]bool{}
		}
		if taken[kind][id] || exists {
			errs.add(where+".id", "%q is used by another %s", id, kind)
		}
		taken[kind][id] = true
	}
	products := map[string]string{} // id -> team, given or existing
	prompts := map[string]string{}
	for t, ps := range s.catalog.products {
		for _, p := range ps {
			products[p.ID] = t
		}
	}
	for t, ps := range s.catalog.prompts {
		for _, p := range ps {
			prompts[p.ID] = t
		}
	}
	for i, p := range st.Products {
		where := fmt.Sprintf("products[%d]", i)
		_, exists := products[p.ID]
		checkID("product", where, p.ID, exists)
		if strings.TrimSpace(p.Name) == "" {
			errs.add(where+".name", "is required")
		}
		products[p.ID] = team(p.Team)
	}
	for i, p := range st.Prompts {
		where := fmt.Sprintf("prompts[%d]", i)
		_, exists := prompts[p.ID]
		checkID("prompt", where, p.ID, exists)
		if strings.TrimSpace(p.Name) == "" {
			errs.add(where+".name", "is required")
		}
		prompts[p.ID] = team(p.Team)
	}
	agentTeam := map[string]string{}
	for id, a := range s.agents.byID {
		agentTeam[id] = a.team
	}
	for i, a := range st.Agents {
		where := fmt.Sprintf("agents[%d]", i)
		_, exists := s.agents.byID[a.ID]
		checkID(agentKind, where, a.ID, exists)
		if a.ID != "" {
			agentTeam[a.ID] = team(a.Team)
		}
		if a.Status != "" && !slices.Contains(agentStatus, a.Status) {
			errs.add(where+".status", "%q is not one of %s", a.Status, strings.Join(agentStatus, ", "))
		}
		if a.StatusBeforePause != "" && (a.Status != "paused" || !slices.Contains(agentStatus, a.StatusBeforePause)) {
			errs.add(where+".statusBeforePause", "needs status \"paused\", and must be one of %s", strings.Join(agentStatus, ", "))
		}
		if a.Login != "" && !emailRe.MatchString(a.Login) {
			errs.add(where+".login", "%q is not an e-mail address", a.Login)
		}
		if a.Country != "" && !countryRe.MatchString(a.Country) {
			errs.add(where+".country", "%q is not a two-letter country code in capitals", a.Country)
		}
		checkTime(&errs, where+".nextTask", a.NextTask)
		if u := a.Usage; u != nil {
			checkTime(&errs, where+".usage.nextInvitation", u.NextInvitation)
			checkTime(&errs, where+".usage.nextMessage", u.NextMessage)
		}
		if wh := a.WorkingHours; wh != nil {
			if wh.Days != "" && !daysRe.MatchString(wh.Days) {
				errs.add(where+".workingHours.days", "%q is not seven colon-separated 0/1 flags, such as 1:1:1:1:1:0:0", wh.Days)
			}
			for k, v := range map[string]string{"start": wh.Start, "stop": wh.Stop} {
				if v != "" && !hhmmRe.MatchString(v) {
					errs.add(where+".workingHours."+k, "%q is not a time of day as HH:MM", v)
				}
			}
		}
		for _, k := range slices.Sorted(maps.Keys(a.Limits)) {
			rg, ok := limitRanges[k]
			switch {
			case !ok:
				errs.add(where+".limits."+k, "is not a limit (invitationsMin, invitationsMax, messagesMin, messagesMax)")
			case a.Limits[k] < rg[0] || a.Limits[k] > rg[1]:
				errs.add(where+".limits."+k, "is %d; it must be between %d and %d", a.Limits[k], rg[0], rg[1])
			}
		}
		for _, k := range slices.Sorted(maps.Keys(a.Settings)) {
			if k != "skipInNetwork" && k != "invitationsOnly" {
				errs.add(where+".settings."+k, "is not a setting (skipInNetwork, invitationsOnly)")
			}
		}
	}
	for i, w := range st.Webhooks {
		where := fmt.Sprintf("webhooks[%d]", i)
		_, exists := s.webhooks.byID[w.ID]
		checkID(webhookKind, where, w.ID, exists)
		if strings.TrimSpace(w.Name) == "" {
			errs.add(where+".name", "is required")
		}
		if u, err := url.Parse(w.URL); err != nil || u.Scheme != "https" || u.Host == "" {
			errs.add(where+".url", "%q is not an HTTPS URL", w.URL)
		}
		if len(w.Events) == 0 || slices.Contains(w.Events, "") {
			errs.add(where+".events", "must list at least one event, none of them empty")
		}
	}
	dncURLs := map[string]bool{}
	for i, d := range st.DNC {
		where := fmt.Sprintf("dnc[%d]", i)
		_, exists := s.dnc.byID[d.ID]
		checkID(dncKind, where, d.ID, exists)
		u, ok := normaliseDNC(d.URL)
		key := team(d.Team) + " " + u
		switch {
		case !ok:
			errs.add(where+".url", "%q is not a LinkedIn profile URL (such as https://www.linkedin.com/in/jane-doe)", d.URL)
		case dncURLs[key] || s.dnc.byURL[key] != "":
			errs.add(where+".url", "%q is listed twice (as %s)", d.URL, u)
		}
		dncURLs[key] = true
		checkTime(&errs, where+".createdAt", d.CreatedAt)
	}
	assigned := map[string]string{}
	for id, a := range s.agents.byID {
		if a.workspace != "" {
			assigned[id] = a.workspace
		}
	}
	for i, w := range st.Workspaces {
		where := fmt.Sprintf("workspaces[%d]", i)
		_, exists := s.workspaces.byID[w.ID]
		checkID(workspaceKind, where, w.ID, exists)
		if strings.TrimSpace(w.Name) == "" {
			errs.add(where+".name", "is required")
		}
		checkTime(&errs, where+".createdAt", w.CreatedAt)
		emails := map[string]bool{}
		for j, c := range w.Clients {
			cw := fmt.Sprintf("%s.clients[%d]", where, j)
			if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
				errs.add(cw+".email", "%q is not an e-mail address", c.Email)
			}
			if emails[c.Email] {
				errs.add(cw+".email", "%q is invited twice", c.Email)
			}
			emails[c.Email] = true
			if slices.Contains(c.Roles, "") {
				errs.add(cw+".roles", "must not hold an empty role")
			}
			if c.RedirectURL != "" {
				if u, err := url.Parse(c.RedirectURL); err != nil || u.Scheme != "https" || u.Host == "" {
					errs.add(cw+".redirectUrl", "%q is not an HTTPS URL", c.RedirectURL)
				}
			}
		}
		for j, id := range w.Agents {
			aw := fmt.Sprintf("%s.agents[%d]", where, j)
			t, ok := agentTeam[id]
			switch {
			case !ok:
				errs.add(aw, "%q is not an agent of this document or the simulator (give agents their id)", id)
			case t != team(w.Team):
				errs.add(aw, "agent %q belongs to team %q, the workspace to %q", id, t, team(w.Team))
			case assigned[id] != "":
				errs.add(aw, "agent %q is assigned to another workspace already (an agent works for one client)", id)
			}
			assigned[id] = where
		}
	}
	for i, c := range st.Campaigns {
		where := fmt.Sprintf("campaigns[%d]", i)
		_, exists := s.campaigns.byID[c.ID]
		checkID(campaignKind, where, c.ID, exists)
		if n := utf8.RuneCountInString(c.Name); n < 3 || n > 100 {
			errs.add(where+".name", "must be 3 to 100 characters")
		}
		for k, ref := range map[string]struct {
			id    string
			teams map[string]string
		}{"agentId": {c.AgentID, agentTeam}, "productId": {c.ProductID, products}, "promptId": {c.PromptID, prompts}} {
			if t, ok := ref.teams[ref.id]; !ok || ref.id == "" || t != team(c.Team) {
				errs.add(where+"."+k, "%q is not one of the team's %ss in this document or the simulator (give them their id)",
					ref.id, strings.TrimSuffix(k, "Id"))
			}
		}
		for k, v := range map[string]*int64{"qualificationAutomatic": c.QualificationAutomatic, "qualificationVerification": c.QualificationVerification} {
			if v != nil && (*v < 0 || *v > 100) {
				errs.add(where+"."+k, "is %d; it must be between 0 and 100", *v)
			}
		}
		if c.Status != "" && !slices.Contains(campaignStat, c.Status) {
			errs.add(where+".status", "%q is not one of %s", c.Status, strings.Join(campaignStat, ", "))
		}
		checkTime(&errs, where+".createdAt", c.CreatedAt)
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return fmt.Errorf("the state document has %d problem(s), and nothing of it was loaded:\n  %s",
			len(errs), strings.Join(errs, "\n  "))
	}
	s.applyStateLocked(st, team)
	return nil
}

// applyStateLocked adds a checked state document's objects.
func (s *Server) applyStateLocked(st State, team func(string) string) {
	// Ids given first, so that the ids the double makes skip them.
	for kind, ids := range map[string][]string{
		"product":     collect(st.Products, func(p StateProduct) string { return p.ID }),
		"prompt":      collect(st.Prompts, func(p StatePrompt) string { return p.ID }),
		agentKind:     collect(st.Agents, func(a StateAgent) string { return a.ID }),
		webhookKind:   collect(st.Webhooks, func(w StateWebhook) string { return w.ID }),
		dncKind:       collect(st.DNC, func(d StateDNCEntry) string { return d.ID }),
		workspaceKind: collect(st.Workspaces, func(w StateWorkspace) string { return w.ID }),
		campaignKind:  collect(st.Campaigns, func(c StateCampaign) string { return c.ID }),
	} {
		for _, id := range ids {
			if n, err := strconv.Atoi(strings.TrimPrefix(id, kind)); err == nil && strings.HasPrefix(id, kind) && n > s.seq[kind] {
				s.seq[kind] = n
			}
		}
	}
	idOr := func(kind, id string) string {
		if id == "" {
			return s.nextIDLocked(kind)
		}
		return id
	}
	for _, p := range st.Products {
		t := team(p.Team)
		s.catalog.products[t] = append(s.catalog.products[t], Product{ID: idOr("product", p.ID), Name: p.Name, Description: p.Description})
	}
	for _, p := range st.Prompts {
		t := team(p.Team)
		s.catalog.prompts[t] = append(s.catalog.prompts[t], Prompt{ID: idOr("prompt", p.ID), Name: p.Name, Type: p.Type, Model: p.Model})
	}
	opt := func(v string) *string {
		if v == "" {
			return nil
		}
		return ptr(v)
	}
	for _, sa := range st.Agents {
		a := &agent{id: idOr(agentKind, sa.ID), team: team(sa.Team), status: cmpOr(sa.Status, "running"),
			prePause: sa.StatusBeforePause, days: "1:1:1:1:1:0:0", start: "09:00", stop: "17:00",
			limits: map[string]int64{}, settings: map[string]bool{}}
		s.agents.byID[a.id] = a
		a.name, a.login, a.country, a.avatar, a.nextTask = opt(sa.Name), opt(sa.Login), opt(sa.Country), opt(sa.Avatar), opt(sa.NextTask)
		if u := sa.Usage; u != nil {
			a.invitations, a.invitationsDaily, a.messages, a.messagesDaily = u.Invitations, u.InvitationsDaily, u.Messages, u.MessagesDaily
			a.nextInvitation, a.nextMessage = opt(u.NextInvitation), opt(u.NextMessage)
		}
		if wh := sa.WorkingHours; wh != nil {
			a.days, a.start, a.stop = cmpOr(wh.Days, a.days), cmpOr(wh.Start, a.start), cmpOr(wh.Stop, a.stop)
			a.timezone = wh.Timezone
		}
		maps.Copy(a.limits, sa.Limits)
		maps.Copy(a.settings, sa.Settings)
		a.alerts = slices.Clone(sa.Alerts)
	}
	for _, sw := range st.Webhooks {
		w := &webhook{id: idOr(webhookKind, sw.ID), team: team(sw.Team), name: sw.Name, url: sw.URL,
			events: slices.Clone(sw.Events), active: sw.Active == nil || *sw.Active}
		s.webhooks.byID[w.id] = w
	}
	for _, sd := range st.DNC {
		u, _ := normaliseDNC(sd.URL)
		t := team(sd.Team)
		created, _ := time.Parse(time.RFC3339Nano, sd.CreatedAt)
		if sd.CreatedAt == "" {
			s.dnc.created = s.dnc.created.Add(time.Second)
			created = s.dnc.created
		}
		e := &dncEntry{id: idOr(dncKind, sd.ID), team: t, url: u, created: created.UTC()}
		s.dnc.byID[e.id] = e
		s.dnc.byURL[t+" "+u] = e.id
		if e.created.After(s.dnc.created) {
			s.dnc.created = e.created
		}
	}
	for _, sw := range st.Workspaces {
		created, _ := time.Parse(time.RFC3339Nano, sw.CreatedAt)
		if sw.CreatedAt == "" {
			s.workspaces.created = s.workspaces.created.Add(time.Minute)
			created = s.workspaces.created
		}
		w := &workspace{id: idOr(workspaceKind, sw.ID), team: team(sw.Team), name: sw.Name, clientTeam: sw.ClientTeamID,
			created: created.UTC(), clients: map[string]*member{}, agents: map[string]bool{}}
		if w.clientTeam == "" {
			w.clientTeam = "team_client_" + w.id[len(w.id)-4:]
		}
		if w.created.After(s.workspaces.created) {
			s.workspaces.created = w.created
		}
		for _, c := range sw.Clients {
			m := &member{membershipID: c.MembershipID, userID: c.UserID, email: c.Email, roles: slices.Clone(c.Roles), redirectURL: c.RedirectURL}
			if len(m.roles) == 0 {
				m.roles = []string{"member"}
			}
			var n int
			if _, err := fmt.Sscanf(m.membershipID, "membership%d", &n); err == nil && n > s.workspaces.memberSeq {
				s.workspaces.memberSeq = n
			}
			if m.membershipID == "" || m.userID == "" {
				s.workspaces.memberSeq++
				m.membershipID = cmpOr(m.membershipID, fmt.Sprintf("membership%010d", s.workspaces.memberSeq))
				m.userID = cmpOr(m.userID, fmt.Sprintf("user%016d", s.workspaces.memberSeq))
			}
			w.clients[c.Email] = m
		}
		for _, id := range sw.Agents {
			w.agents[id] = true
			s.agents.byID[id].workspace = w.id
		}
		s.workspaces.byID[w.id] = w
	}
	for _, sc := range st.Campaigns {
		created, _ := time.Parse(time.RFC3339Nano, sc.CreatedAt)
		if sc.CreatedAt == "" {
			s.campaigns.created = s.campaigns.created.Add(time.Minute)
			created = s.campaigns.created
		}
		cp := &campaign{id: idOr(campaignKind, sc.ID), team: team(sc.Team), name: sc.Name, agentID: sc.AgentID,
			productID: sc.ProductID, prompID: sc.PromptID, qa: 70, qv: 50, variables: maps.Clone(sc.Variables),
			status: cmpOr(sc.Status, "active"), created: created.UTC()}
		if cp.variables == nil {
			cp.variables = map[string]string{}
		}
		if sc.QualificationAutomatic != nil {
			cp.qa = *sc.QualificationAutomatic
		}
		if sc.QualificationVerification != nil {
			cp.qv = *sc.QualificationVerification
		}
		if cp.created.After(s.campaigns.created) {
			s.campaigns.created = cp.created
		}
		s.campaigns.byID[cp.id] = cp
	}
}

func collect[T any](items []T, id func(T) string) []string {
	var out []string
	for _, it := range items {
		if v := id(it); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func cmpOr(v, or string) string {
	if v == "" {
		return or
	}
	return v
}

// State returns everything the double holds as a state document (every
// team, ids sorted; no password or secret), which LoadState reads back into
// an empty double as the same objects.
func (s *Server) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{Format: StateFormat}
	val := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, t := range slices.Sorted(maps.Keys(s.catalog.products)) {
		for _, p := range s.catalog.products[t] {
			st.Products = append(st.Products, StateProduct{ID: p.ID, Team: t, Name: p.Name, Description: p.Description})
		}
	}
	for _, t := range slices.Sorted(maps.Keys(s.catalog.prompts)) {
		for _, p := range s.catalog.prompts[t] {
			st.Prompts = append(st.Prompts, StatePrompt{ID: p.ID, Team: t, Name: p.Name, Type: p.Type, Model: p.Model})
		}
	}
	for _, id := range s.sortedAgentIDsLocked() {
		a := s.agents.byID[id]
		sa := StateAgent{ID: a.id, Team: a.team, Status: a.status, Name: val(a.name), Login: val(a.login),
			Country: val(a.country), Avatar: val(a.avatar), NextTask: val(a.nextTask),
			WorkingHours: &StateWorkingHours{Days: a.days, Start: a.start, Stop: a.stop, Timezone: a.timezone},
			Limits:       maps.Clone(a.limits), Settings: maps.Clone(a.settings), Alerts: slices.Clone(a.alerts)}
		if a.status == "paused" {
			sa.StatusBeforePause = a.prePause
		}
		if u := (StateAgentUsage{Invitations: a.invitations, InvitationsDaily: a.invitationsDaily, Messages: a.messages,
			MessagesDaily: a.messagesDaily, NextInvitation: val(a.nextInvitation), NextMessage: val(a.nextMessage)}); u != (StateAgentUsage{}) {
			sa.Usage = &u
		}
		if len(sa.Limits) == 0 {
			sa.Limits = nil
		}
		if len(sa.Settings) == 0 {
			sa.Settings = nil
		}
		st.Agents = append(st.Agents, sa)
	}
	for _, id := range slices.Sorted(maps.Keys(s.webhooks.byID)) {
		w := s.webhooks.byID[id]
		active := w.active
		st.Webhooks = append(st.Webhooks, StateWebhook{ID: w.id, Team: w.team, Name: w.name, URL: w.url,
			Events: slices.Clone(w.events), Active: &active})
	}
	for _, id := range slices.Sorted(maps.Keys(s.dnc.byID)) {
		e := s.dnc.byID[id]
		st.DNC = append(st.DNC, StateDNCEntry{ID: e.id, Team: e.team, URL: e.url, CreatedAt: e.created.Format(time.RFC3339Nano)})
	}
	for _, id := range slices.Sorted(maps.Keys(s.workspaces.byID)) {
		w := s.workspaces.byID[id]
		sw := StateWorkspace{ID: w.id, Team: w.team, Name: w.name, ClientTeamID: w.clientTeam,
			CreatedAt: w.created.Format(time.RFC3339Nano), Agents: slices.Sorted(maps.Keys(w.agents))}
		for _, e := range slices.Sorted(maps.Keys(w.clients)) {
			m := w.clients[e]
			sw.Clients = append(sw.Clients, StateWorkspaceClient{Email: m.email, Roles: slices.Clone(m.roles),
				RedirectURL: m.redirectURL, MembershipID: m.membershipID, UserID: m.userID})
		}
		st.Workspaces = append(st.Workspaces, sw)
	}
	for _, id := range slices.Sorted(maps.Keys(s.campaigns.byID)) {
		cp := s.campaigns.byID[id]
		qa, qv := cp.qa, cp.qv
		sc := StateCampaign{ID: cp.id, Team: cp.team, Name: cp.name, AgentID: cp.agentID, ProductID: cp.productID,
			PromptID: cp.prompID, QualificationAutomatic: &qa, QualificationVerification: &qv,
			Variables: maps.Clone(cp.variables), Status: cp.status, CreatedAt: cp.created.Format(time.RFC3339Nano)}
		if len(sc.Variables) == 0 {
			sc.Variables = nil
		}
		st.Campaigns = append(st.Campaigns, sc)
	}
	return st
}

// registerStateAdmin serves the state document over HTTP:
//
//	GET /_sim/state   everything the simulator holds, as a state document
func (s *Server) registerStateAdmin() {
	s.adminRoute("GET /_sim/state", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.State())
	})
}
