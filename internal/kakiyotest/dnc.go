package kakiyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The Do Not Contact list (Kakiyo API reference, "DNC", all documented):
// entries are Appwrite documents ("$id", "$createdAt", "$updatedAt") whose
// URL Kakiyo normalises; 201 on create, 409 on a duplicate, answers under
// "data", and limits of their own per endpoint.

const dncKind = "dnc"

// DNCID is the id of the n-th DNC entry a double creates (from 1).
func DNCID(n int) string { return fmt.Sprintf("%s%0*d", dncKind, 20-len(dncKind), n) }

type dncStore struct {
	byID     map[string]*dncEntry
	byURL    map[string]string // team + " " + normalised URL -> id
	batchMax int               // 0: no maximum
	created  time.Time         // the clock of $createdAt
}

type dncEntry struct {
	id, team, url string
	created       time.Time
}

// dncProfile is what Kakiyo accepts: an optional scheme and www., then
// linkedin.com/in/<slug>, or just in/<slug>; a trailing slash is dropped.
var dncProfile = regexp.MustCompile(`^(?:https?://)?(?:www\.)?(?:linkedin\.com/)?in/([^/?#\s]+)/?$`)

// normaliseDNC returns the stored form of a profile URL, or false.
func normaliseDNC(raw string) (string, bool) {
	m := dncProfile.FindStringSubmatch(strings.ToLower(strings.TrimSpace(raw)))
	if m == nil {
		return "", false
	}
	return "https://linkedin.com/in/" + m[1], true
}

func (s *Server) registerDNC() {
	s.dnc = dncStore{byID: map[string]*dncEntry{}, byURL: map[string]string{},
		created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.registerDNCAdmin()
	s.handle(route{pattern: "GET /dnc", perMinute: 60, handle: func(c *call) (int, any, *apiError) {
		q := c.r.URL.Query()
		limit, offset := 50, 0
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return 0, nil, validationError("limit must be between 1 and 1000")
			}
			limit = n
		}
		if v := q.Get("offset"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return 0, nil, validationError("offset must be 0 or more")
			}
			offset = n
		}
		ids := s.dncIDsLocked(c.team)
		total := len(ids)
		page := ids[min(offset, total):min(offset+limit, total)]
		entries := make([]map[string]any, 0, len(page))
		for _, id := range page {
			entries = append(entries, s.dnc.byID[id].view())
		}
		return http.StatusOK, map[string]any{"data": map[string]any{"entries": entries, "total": total, "limit": limit, "offset": offset}}, nil
	}})
	s.handle(route{pattern: "GET /dnc/check", perMinute: 60, handle: func(c *call) (int, any, *apiError) {
		raw := c.r.URL.Query().Get("url")
		if raw == "" {
			return 0, nil, validationError("url query parameter is required")
		}
		u, ok := normaliseDNC(raw)
		if !ok {
			return 0, nil, validationError("Invalid LinkedIn URL: " + raw)
		}
		id, listed := s.dnc.byURL[c.team+" "+u]
		if !listed {
			return http.StatusOK, map[string]any{"data": map[string]any{"onList": false, "entry": nil}}, nil
		}
		return http.StatusOK, map[string]any{"data": map[string]any{"onList": true, "entry": s.dnc.byID[id].view()}}, nil
	}})
	s.handle(route{pattern: "POST /dnc", perMinute: 30, handle: func(c *call) (int, any, *apiError) {
		var in struct {
			URL string `json:"url"`
		}
		if json.Unmarshal(c.body, &in) != nil || in.URL == "" {
			return 0, nil, validationError("url is required")
		}
		u, ok := normaliseDNC(in.URL)
		if !ok {
			return 0, nil, validationError("Invalid LinkedIn URL: " + in.URL)
		}
		if _, dup := s.dnc.byURL[c.team+" "+u]; dup {
			return 0, nil, errBody(http.StatusConflict, "conflict", "URL already in Do Not Contact list")
		}
		e := s.addDNCLocked(c.team, u)
		return http.StatusCreated, map[string]any{"data": map[string]any{"entry": e.view()}, "message": "Added to Do Not Contact list"}, nil
	}})
	s.handle(route{pattern: "POST /dnc/batch", perMinute: 10, handle: func(c *call) (int, any, *apiError) {
		var in struct {
			Entries []struct {
				URL string `json:"url"`
			} `json:"entries"`
		}
		if json.Unmarshal(c.body, &in) != nil || len(in.Entries) == 0 {
			return 0, nil, validationError("entries must be a non-empty array")
		}
		if s.dnc.batchMax > 0 && len(in.Entries) > s.dnc.batchMax {
			return 0, nil, validationError(fmt.Sprintf("Too many entries: the maximum is %d", s.dnc.batchMax))
		}
		added, dups, errs := 0, 0, 0
		details := make([]map[string]any, 0, len(in.Entries))
		for _, e := range in.Entries {
			u, ok := normaliseDNC(e.URL)
			switch {
			case !ok:
				errs++
				details = append(details, map[string]any{"url": e.URL, "status": "error", "error": "Invalid LinkedIn URL"})
			case s.dnc.byURL[c.team+" "+u] != "":
				dups++
				details = append(details, map[string]any{"url": u, "status": "duplicate"})
			default:
				added++
				s.addDNCLocked(c.team, u)
				details = append(details, map[string]any{"url": u, "status": "added"})
			}
		}
		return http.StatusCreated, map[string]any{"data": map[string]any{"added": added, "duplicates": dups, "errors": errs,
			"details": details}, "message": fmt.Sprintf("Bulk import completed: %d added, %d duplicates, %d errors", added, dups, errs)}, nil
	}})
	s.handle(route{pattern: "DELETE /dnc/{id}", perMinute: 30, handle: func(c *call) (int, any, *apiError) {
		e, ok := s.dnc.byID[c.r.PathValue("id")]
		switch {
		case !ok:
			return 0, nil, errBody(http.StatusNotFound, "not_found", "DNC entry not found")
		case e.team != c.team:
			return 0, nil, errBody(http.StatusForbidden, "forbidden", "DNC entry belongs to another team")
		}
		s.removeDNCLocked(e)
		return http.StatusOK, map[string]any{"data": map[string]any{"message": "DNC entry deleted successfully"}}, nil
	}})
}

func (s *Server) addDNCLocked(team, u string) *dncEntry {
	s.dnc.created = s.dnc.created.Add(time.Second)
	e := &dncEntry{id: s.nextIDLocked(dncKind), team: team, url: u, created: s.dnc.created}
	s.dnc.byID[e.id] = e
	s.dnc.byURL[team+" "+u] = e.id
	s.countLocked(dncKind, 1)
	return e
}

func (s *Server) removeDNCLocked(e *dncEntry) {
	delete(s.dnc.byID, e.id)
	delete(s.dnc.byURL, e.team+" "+e.url)
	s.countLocked(dncKind, -1)
}

// dncIDsLocked returns the ids of team's entries, newest first, as Kakiyo
// lists them.
func (s *Server) dncIDsLocked(team string) []string {
	var ids []string
	for id, e := range s.dnc.byID {
		if e.team == team {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b string) int { return strings.Compare(b, a) })
	return ids
}

func (e *dncEntry) view() map[string]any {
	ts := e.created.Format("2006-01-02T15:04:05.000Z07:00")
	return map[string]any{"$id": e.id, "teamId": e.team, "url": e.url, "$createdAt": ts, "$updatedAt": ts}
}

// ---- back door --------------------------------------------------------------

// AddDNCOutOfBand lists profile (any accepted spelling) for team (DefaultTeam
// when empty), as the dashboard would, and returns the entry's id.
func (s *Server) AddDNCOutOfBand(team, profile string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if team == "" {
		team = DefaultTeam
	}
	u, ok := normaliseDNC(profile)
	if !ok {
		panic("kakiyotest: not a LinkedIn profile URL: " + profile)
	}
	if id := s.dnc.byURL[team+" "+u]; id != "" {
		return id
	}
	return s.addDNCLocked(team, u).id
}

// RemoveDNCOutOfBand removes the default team's entry for profile, as the
// dashboard would; it reports whether there was one.
func (s *Server) RemoveDNCOutOfBand(profile string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, _ := normaliseDNC(profile)
	id := s.dnc.byURL[DefaultTeam+" "+u]
	if id == "" {
		return false
	}
	s.removeDNCLocked(s.dnc.byID[id])
	return true
}

// DNCURLs returns the default team's listed URLs, as Kakiyo stores them.
func (s *Server) DNCURLs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.dnc.byID {
		if e.team == DefaultTeam {
			out = append(out, e.url)
		}
	}
	slices.Sort(out)
	return out
}

// SetDNCBatchMax makes POST /dnc/batch refuse more than n entries with a
// validation_error (Kakiyo documents no maximum); 0 removes it.
func (s *Server) SetDNCBatchMax(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dnc.batchMax = n
}

// DNCProfileURL returns the stored form of a profile URL, as the double
// normalises it (for tests); empty when it is not one.
func DNCProfileURL(raw string) string {
	u, _ := normaliseDNC(raw)
	return u
}

// registerDNCAdmin serves the DNC list's back door over HTTP:
//
//	GET    /_sim/dnc            the default team's URLs, as stored
//	DELETE /_sim/dnc?url=...    removes one, as the dashboard would
func (s *Server) registerDNCAdmin() {
	s.adminRoute("GET /_sim/dnc", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.DNCURLs())
	})
	s.adminRoute("DELETE /_sim/dnc", func(w http.ResponseWriter, r *http.Request) {
		if !s.RemoveDNCOutOfBand(r.URL.Query().Get("url")) {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "not listed"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"url": r.URL.Query().Get("url")})
	})
}
