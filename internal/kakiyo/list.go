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

// maxListPages bounds how many pages a listing follows, so that an API that
// keeps answering "more" cannot loop forever.
const maxListPages = 1000

// list describes a list endpoint whose answer's shape is not (or not fully)
// documented: Kakiyo's lists use a bare array, {"models": [...]},
// {"workspaces": [...]} or {"data": {"entries": [...]}}.
type list[T any] struct {
	ep   endpoint
	noun string   // plural, for errors: "agents"
	keys []string // where the items may be, in order of preference
	id   func(*T) string
}

// all calls the list endpoint and returns every item, one API call per page.
//
// It accepts a bare JSON array or an object holding the array under one of
// keys (one level of nesting, e.g. {"data": {"agents": [...]}}), and it
// follows paging when the response has it: a cursor (nextCursor,
// next_cursor or cursor, sent back as ?after=; hasMore=false ends it), or a
// total larger than what came so far (asked for as ?offset=&limit=).
func (l list[T]) all(ctx context.Context, c *Client) ([]T, error) {
	var all []T
	query := url.Values{}
	seenCursors := map[string]bool{}
	for page := 0; ; page++ {
		if page == maxListPages {
			return nil, fmt.Errorf("kakiyo API %s: still more pages after %d; giving up", l.ep, maxListPages)
		}
		path := l.ep.template
		if len(query) > 0 {
			path += "?" + query.Encode()
		}
		var raw json.RawMessage
		if err := c.do(ctx, l.ep, path, nil, &raw); err != nil {
			return nil, err
		}
		p, err := l.decode(raw)
		if err != nil {
			return nil, &DecodeError{Method: l.ep.method, Path: path, StatusCode: 200, Body: snippet(raw), Err: err}
		}
		all = append(all, p.items...)

		switch {
		case p.cursor != "" && len(p.items) > 0:
			if seenCursors[p.cursor] {
				return nil, fmt.Errorf("kakiyo API %s: the cursor %q came back twice", l.ep, p.cursor)
			}
			seenCursors[p.cursor] = true
			query = url.Values{"after": {p.cursor}}
		case p.total > len(all) && len(p.items) > 0:
			limit := p.limit
			if limit <= 0 {
				limit = len(p.items)
			}
			query = url.Values{"offset": {strconv.Itoa(len(all))}, "limit": {strconv.Itoa(limit)}}
		default:
			return all, nil
		}
	}
}

// page is one decoded page of a list answer.
type page[T any] struct {
	items  []T
	cursor string
	total  int
	limit  int
}

func (l list[T]) decode(raw json.RawMessage) (page[T], error) {
	var p page[T]
	if trimmed := bytes.TrimLeft(raw, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		// A bare array: one pass.
		if err := json.Unmarshal(raw, &p.items); err != nil {
			return p, err
		}
		return p, l.checkIDs(p.items)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return p, errors.New("neither a JSON array nor a JSON object")
	}
	found, err := l.find(obj, &p, 0)
	if err != nil {
		return p, err
	}
	if !found {
		return p, fmt.Errorf("no list of %s under any of %v", l.noun, l.keys)
	}
	return p, l.checkIDs(p.items)
}

func (l list[T]) checkIDs(items []T) error {
	for i := range items {
		if l.id(&items[i]) == "" {
			return fmt.Errorf("item #%d of the list of %s has no id", i, l.noun)
		}
	}
	return nil
}

// find looks for the items and the paging fields in obj, then one level down
// in an object under one of keys.
func (l list[T]) find(obj map[string]json.RawMessage, p *page[T], depth int) (bool, error) {
	readPaging(obj, &p.cursor, &p.total, &p.limit)
	for _, k := range l.keys {
		v, ok := obj[k]
		if !ok || string(v) == "null" {
			continue
		}
		var items []T
		if err := json.Unmarshal(v, &items); err == nil {
			p.items = items
			return true, nil
		}
		var inner map[string]json.RawMessage
		if depth == 0 && json.Unmarshal(v, &inner) == nil {
			if found, err := l.find(inner, p, depth+1); found || err != nil {
				return found, err
			}
		}
		// Present but not a list of items: say so rather than guess.
		var probe []json.RawMessage
		if json.Unmarshal(v, &probe) == nil {
			return false, fmt.Errorf("%q holds items that are not %s: %w", k, l.noun, json.Unmarshal(v, &items))
		}
	}
	return false, nil
}

func readPaging(obj map[string]json.RawMessage, cursor *string, total, limit *int) {
	for _, k := range []string{"nextCursor", "next_cursor", "cursor"} {
		var s string
		if json.Unmarshal(obj[k], &s) == nil && s != "" {
			*cursor = s
		}
	}
	var hasMore *bool
	_ = json.Unmarshal(obj["hasMore"], &hasMore)
	if hasMore != nil && !*hasMore {
		*cursor = "" // explicitly the last page
	}
	var n int
	if json.Unmarshal(obj["total"], &n) == nil && n > 0 {
		*total = n
	}
	if json.Unmarshal(obj["limit"], &n) == nil && n > 0 {
		*limit = n
	}
}
