package kakiyo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
)

// maxListPages bounds how many pages ListAgents follows, so that an API that
// keeps answering "more" cannot loop forever.
const maxListPages = 1000

// listKeys are the keys under which a list response may hold its items. The
// shape of GET /agents is not documented: other Kakiyo lists use "models",
// "workspaces" or "data": {"entries": ...}.
var listKeys = []string{"agents", "data", "items", "results", "entries"}

// ListAgents calls GET /agents and returns every agent of the key's team.
//
// It accepts a bare JSON array or an object holding the array under one of
// listKeys (one level of nesting, e.g. {"data": {"agents": [...]}}), and it
// follows paging when the response has it: a cursor (nextCursor,
// next_cursor or cursor, sent back as ?after=; hasMore=false ends it), or a
// total larger than what came so far (asked for as ?offset=&limit=). Each
// page is one API call.
func (c *Client) ListAgents(ctx context.Context) ([]Agent, error) {
	var all []Agent
	query := url.Values{}
	seenCursors := map[string]bool{}
	for page := 0; ; page++ {
		if page == maxListPages {
			return nil, fmt.Errorf("kakiyo API GET /agents: still more pages after %d; giving up", maxListPages)
		}
		path := "/agents"
		if len(query) > 0 {
			path += "?" + query.Encode()
		}
		var raw json.RawMessage
		if err := c.do(ctx, "GET", path, nil, &raw); err != nil {
			return nil, err
		}
		p, err := decodeAgentPage(raw)
		if err != nil {
			return nil, &DecodeError{Method: "GET", Path: path, StatusCode: 200, Body: snippet(raw), Err: err}
		}
		all = append(all, p.agents...)

		switch {
		case p.cursor != "" && len(p.agents) > 0:
			if seenCursors[p.cursor] {
				return nil, fmt.Errorf("kakiyo API GET /agents: the cursor %q came back twice", p.cursor)
			}
			seenCursors[p.cursor] = true
			query = url.Values{"after": {p.cursor}}
		case p.total > len(all) && len(p.agents) > 0:
			limit := p.limit
			if limit <= 0 {
				limit = len(p.agents)
			}
			query = url.Values{"offset": {strconv.Itoa(len(all))}, "limit": {strconv.Itoa(limit)}}
		default:
			return all, nil
		}
	}
}

type agentPage struct {
	agents []Agent
	cursor string
	total  int
	limit  int
}

func decodeAgentPage(raw json.RawMessage) (agentPage, error) {
	var p agentPage
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		// A bare array: one pass.
		if err := json.Unmarshal(raw, &p.agents); err != nil {
			return p, err
		}
		return p, checkIDs(p.agents)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return p, errors.New("neither a JSON array nor a JSON object")
	}
	found, err := findList(obj, &p, 0)
	if err != nil {
		return p, err
	}
	if !found {
		return p, fmt.Errorf("no list of agents under any of %v", listKeys)
	}
	return p, checkIDs(p.agents)
}

func checkIDs(agents []Agent) error {
	for i, a := range agents {
		if a.ID == "" {
			return fmt.Errorf("agent #%d of the list has no id", i)
		}
	}
	return nil
}

// findList looks for the items and the paging fields in obj, then one level
// down in an object under one of listKeys.
func findList(obj map[string]json.RawMessage, p *agentPage, depth int) (bool, error) {
	readPaging(obj, p)
	for _, k := range listKeys {
		v, ok := obj[k]
		if !ok || string(v) == "null" {
			continue
		}
		var list []Agent
		if err := json.Unmarshal(v, &list); err == nil {
			p.agents = list
			return true, nil
		}
		var inner map[string]json.RawMessage
		if depth == 0 && json.Unmarshal(v, &inner) == nil {
			if found, err := findList(inner, p, depth+1); found || err != nil {
				return found, err
			}
		}
		// Present but not a list of agents: say so rather than guess.
		var probe []json.RawMessage
		if json.Unmarshal(v, &probe) == nil {
			var list []Agent
			return false, fmt.Errorf("%q holds items that are not agents: %w", k, json.Unmarshal(v, &list))
		}
	}
	return false, nil
}

func readPaging(obj map[string]json.RawMessage, p *agentPage) {
	for _, k := range []string{"nextCursor", "next_cursor", "cursor"} {
		var s string
		if json.Unmarshal(obj[k], &s) == nil && s != "" {
			p.cursor = s
		}
	}
	var hasMore *bool
	_ = json.Unmarshal(obj["hasMore"], &hasMore)
	if hasMore != nil && !*hasMore {
		p.cursor = "" // explicitly the last page
	}
	var n int
	if json.Unmarshal(obj["total"], &n) == nil && n > 0 {
		p.total = n
	}
	if json.Unmarshal(obj["limit"], &n) == nil && n > 0 {
		p.limit = n
	}
}
