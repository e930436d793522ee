package kakiyo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// The Do Not Contact list (Kakiyo API reference, "DNC"): LinkedIn profile
// URLs that no agent contacts. Kakiyo stores each URL normalised (see
// LinkedInProfileURL) as an Appwrite document ("$id", "$createdAt").

// DNCEntry is one listed profile.
type DNCEntry struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	TeamID    string `json:"teamId"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// UnmarshalJSON accepts Appwrite's "$id", "$createdAt" and "$updatedAt".
func (e *DNCEntry) UnmarshalJSON(b []byte) error {
	type plain DNCEntry
	if err := json.Unmarshal(b, (*plain)(e)); err != nil {
		return err
	}
	var alt struct {
		ID        string `json:"$id"`
		CreatedAt string `json:"$createdAt"`
		UpdatedAt string `json:"$updatedAt"`
	}
	if json.Unmarshal(b, &alt) == nil {
		for _, f := range []struct {
			dst *string
			v   string
		}{{&e.ID, alt.ID}, {&e.CreatedAt, alt.CreatedAt}, {&e.UpdatedAt, alt.UpdatedAt}} {
			if *f.dst == "" {
				*f.dst = f.v
			}
		}
	}
	return nil
}

// DNCPageSize is the largest page GET /dnc allows (limit 1 to 1000).
const DNCPageSize = 1000

// DNCBatchSize is how many URLs one POST /dnc/batch carries. Kakiyo
// documents no maximum; a batch it refuses as too large is split in two.
const DNCBatchSize = 1000

// Documented limits of the DNC endpoints, per minute.
var (
	epListDNC   = endpoint{method: "GET", template: "/dnc", perMinute: 60}
	epCheckDNC  = endpoint{method: "GET", template: "/dnc/check", perMinute: 60}
	epAddDNC    = endpoint{method: "POST", template: "/dnc", perMinute: 30}
	epBatchDNC  = endpoint{method: "POST", template: "/dnc/batch", perMinute: 10}
	epDeleteDNC = endpoint{method: "DELETE", template: "/dnc/{id}", perMinute: 30}
	dncList     = list[DNCEntry]{ep: epListDNC, noun: "DNC entries", keys: []string{"entries", "data", "items"},
		id: func(e *DNCEntry) string { return e.ID }, pageSize: DNCPageSize}
)

// ListDNCPages calls GET /dnc with limit=1000 and hands each page to fn.
func (c *Client) ListDNCPages(ctx context.Context, fn func([]DNCEntry) error) error {
	return dncList.each(ctx, c, fn)
}

// ListDNC returns every entry of the key's team.
func (c *Client) ListDNC(ctx context.Context) ([]DNCEntry, error) {
	return collect(ctx, c, dncList)
}

// CheckDNC calls GET /dnc/check?url=: the entry for profile, or nil when
// the profile is not listed.
func (c *Client) CheckDNC(ctx context.Context, profile string) (*DNCEntry, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epCheckDNC, "/dnc/check?"+url.Values{"url": {profile}}.Encode(), nil, &raw); err != nil {
		return nil, err
	}
	var ans struct {
		OnList *bool           `json:"onList"`
		Entry  json.RawMessage `json:"entry"`
	}
	if err := unwrap(raw, []string{"data"}, &ans); err != nil {
		return nil, &DecodeError{Method: "GET", Path: "/dnc/check", StatusCode: 200, Body: c.snippet(raw), Err: err}
	}
	if ans.OnList == nil {
		// Kakiyo's answer always says onList: one that does not is not
		// Kakiyo's, and must not make an entry "not listed" (gone).
		return nil, &DecodeError{Method: "GET", Path: "/dnc/check", StatusCode: 200, Body: c.snippet(raw),
			Err: errors.New("the answer has no onList")}
	}
	if !*ans.OnList {
		c.trust()
		return nil, nil
	}
	if len(ans.Entry) == 0 || string(ans.Entry) == "null" {
		return nil, &DecodeError{Method: "GET", Path: "/dnc/check", StatusCode: 200, Body: c.snippet(raw),
			Err: errors.New("onList is true, but the answer holds no entry")}
	}
	var e DNCEntry
	if err := json.Unmarshal(ans.Entry, &e); err != nil || e.ID == "" {
		if err == nil {
			err = errors.New("the entry has no id")
		}
		return nil, &DecodeError{Method: "GET", Path: "/dnc/check", StatusCode: 200, Body: c.snippet(raw), Err: err}
	}
	c.trust()
	return &e, nil
}

// AddDNC calls POST /dnc (201). A profile already listed gets 409 (see
// IsConflict). A retry after a lost answer may meet that 409 for the entry
// its first attempt added (see AddedByEarlierAttempt).
func (c *Client) AddDNC(ctx context.Context, profile string) (*DNCEntry, error) {
	var raw json.RawMessage
	if err := c.do(ctx, epAddDNC, "/dnc", map[string]string{"url": profile}, &raw); err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			// Kakiyo handled it: the entry may exist (see notTheObject).
			return nil, &UnknownOutcomeError{Endpoint: epAddDNC.String(), Err: err}
		}
		return nil, err
	}
	// {"data": {"entry": {...}}}, {"data": {...}} or the bare entry.
	var e DNCEntry
	if err := unwrap(raw, []string{"data"}, &e); err == nil && e.ID == "" {
		var inner struct {
			Entry *DNCEntry `json:"entry"`
		}
		if unwrap(raw, []string{"data"}, &inner) == nil && inner.Entry != nil {
			e = *inner.Entry
		}
	}
	if e.ID == "" {
		return nil, c.notTheObject(epAddDNC, raw, errors.New("the answer holds no entry id"))
	}
	if e.URL == "" {
		e.URL = profile
	}
	c.trust()
	return &e, nil
}

// IsConflict reports whether err is HTTP 409 (e.g. a profile already on the
// DNC list).
func IsConflict(err error) bool {
	e, ok := asAPIError(err)
	return ok && e.StatusCode == http.StatusConflict
}

// AddedByEarlierAttempt reports whether err, a 409 from a create, came on a
// retry: an earlier attempt, whose answer was lost, may have added it.
func AddedByEarlierAttempt(err error) bool {
	var re *RetryError
	return IsConflict(err) && errors.As(err, &re) && re.Attempts > 1
}

// DeleteDNC calls DELETE /dnc/{id}. not_found is returned as is.
func (c *Client) DeleteDNC(ctx context.Context, id string) error {
	return c.do(ctx, epDeleteDNC, "/dnc/"+url.PathEscape(id), nil, nil)
}

// DNC batch outcomes of one URL.
const (
	DNCAdded     = "added"
	DNCDuplicate = "duplicate"
	DNCError     = "error"
)

// DNCBatchDetail is the outcome of one URL of a batch.
type DNCBatchDetail struct {
	URL    string `json:"url"`
	Status string `json:"status"`
	Error  string `json:"-"`
}

// UnmarshalJSON accepts the error as a string or as an object with a
// message.
func (d *DNCBatchDetail) UnmarshalJSON(b []byte) error {
	type plain DNCBatchDetail
	var aux struct {
		plain
		Error json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*d = DNCBatchDetail(aux.plain)
	if len(aux.Error) > 0 && string(aux.Error) != "null" {
		var s string
		if json.Unmarshal(aux.Error, &s) != nil {
			var obj struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(aux.Error, &obj) == nil && obj.Message != "" {
				s = obj.Message
			} else {
				s = string(aux.Error)
			}
		}
		d.Error = s
	}
	return nil
}

// DNCBatchResult is the outcome of AddDNCBatch, every call together.
type DNCBatchResult struct {
	Details []DNCBatchDetail
	Calls   int
}

// AddDNCBatch adds profiles with POST /dnc/batch, DNCBatchSize at a time,
// and returns each URL's outcome. A batch that Kakiyo refuses as too large
// (413, or 400 naming a maximum) is split in two. A URL the answer does not
// mention counts as an error. When a call fails, the outcomes so far are
// returned with the error.
func (c *Client) AddDNCBatch(ctx context.Context, profiles []string) (*DNCBatchResult, error) {
	res := &DNCBatchResult{}
	size := DNCBatchSize
	for len(profiles) > 0 {
		chunk := profiles[:min(size, len(profiles))]
		details, err := c.batchDNC(ctx, chunk)
		res.Calls++
		if err != nil {
			if tooLarge(err) && len(chunk) > 1 {
				size = (len(chunk) + 1) / 2
				continue
			}
			return res, err
		}
		res.Details = append(res.Details, details...)
		profiles = profiles[len(chunk):]
	}
	return res, nil
}

func tooLarge(err error) bool {
	e, ok := asAPIError(err)
	if !ok {
		return false
	}
	msg := strings.ToLower(e.Message)
	return e.StatusCode == http.StatusRequestEntityTooLarge ||
		(e.StatusCode == http.StatusBadRequest && (strings.Contains(msg, "too many") || strings.Contains(msg, "maximum")))
}

func (c *Client) batchDNC(ctx context.Context, profiles []string) ([]DNCBatchDetail, error) {
	type entry struct {
		URL string `json:"url"`
	}
	body := struct {
		Entries []entry `json:"entries"`
	}{Entries: make([]entry, len(profiles))}
	for i, p := range profiles {
		body.Entries[i].URL = p
	}
	var raw json.RawMessage
	if err := c.do(ctx, epBatchDNC, "/dnc/batch", body, &raw); err != nil {
		return nil, err
	}
	var ans struct {
		Details []DNCBatchDetail `json:"details"`
		Results []DNCBatchDetail `json:"results"`
	}
	if err := unwrap(raw, []string{"data"}, &ans); err != nil {
		return nil, &DecodeError{Method: "POST", Path: "/dnc/batch", StatusCode: http.StatusCreated, Body: c.snippet(raw), Err: err}
	}
	if ans.Details == nil {
		ans.Details = ans.Results
	}
	// Match the answer to the request by normalised URL: Kakiyo may echo
	// what it stored rather than what was sent.
	byURL := map[string]DNCBatchDetail{}
	for _, d := range ans.Details {
		byURL[DNCKey(d.URL)] = d
	}
	out := make([]DNCBatchDetail, len(profiles))
	for i, p := range profiles {
		d, ok := byURL[DNCKey(p)]
		if !ok {
			d = DNCBatchDetail{Status: DNCError, Error: "not mentioned in Kakiyo's answer"}
		}
		d.URL = p
		out[i] = d
	}
	return out, nil
}

// DNCKey is a profile URL as Kakiyo stores it (LinkedInProfileURL), or the
// URL itself when it is not one: what tells DNC entries apart.
func DNCKey(u string) string {
	if n, err := LinkedInProfileURL(u); err == nil {
		return n
	}
	return u
}
