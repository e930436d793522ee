package kakiyo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	// pageSize, when set, is asked for as ?limit= on every page: the largest
	// page the endpoint allows, so that a large list costs the fewest calls.
	pageSize int
}

// each calls the list endpoint and hands every page's items to fn as the
// page arrives, one API call per page. Each page is decoded as its answer
// streams in: neither the raw answer nor a copy of it is held.
//
// It accepts a bare JSON array or an object holding the array under one of
// keys (one level of nesting, e.g. {"data": {"agents": [...]}}), and it
// follows paging when the response has it: a cursor (nextCursor,
// next_cursor or cursor, sent back as ?after=; hasMore=false ends it), or a
// total larger than what came so far (asked for as ?offset=&limit=).
func (l list[T]) each(ctx context.Context, c *Client, fn func([]T) error) error {
	query := url.Values{}
	if l.pageSize > 0 {
		query.Set("limit", strconv.Itoa(l.pageSize))
	}
	seenCursors := map[string]bool{}
	ids := map[string]bool{}
	seen, received := 0, 0 // items new to this listing; items the pages held
	for n := 0; ; n++ {
		if n == maxListPages {
			return fmt.Errorf("kakiyo API %s: still more pages after %d; giving up", l.ep, maxListPages)
		}
		path := l.ep.template
		if len(query) > 0 {
			path += "?" + query.Encode()
		}
		var p page[T]
		var keyed bool
		if err := c.do(ctx, l.ep, path, nil, pageDecoder[T]{l: l, p: &p, keyed: &keyed}); err != nil {
			if apiErr, ok := asAPIError(err); ok && apiErr.StatusCode == http.StatusNotFound {
				return &ListMissingError{Endpoint: l.ep.String(), BaseURL: c.base.String(), Answer: apiErr}
			}
			return err
		}
		// A page must bring something new: pages that repeat what came
		// before (a cursor or an offset that does not advance, a total that
		// is never reached) end the listing here with an error, one page
		// past the last new item, rather than after maxListPages calls.
		fresh := p.items[:0]
		for _, it := range p.items {
			id := l.id(&it)
			if ids[id] {
				continue // shown again as the list moved between pages
			}
			ids[id] = true
			fresh = append(fresh, it)
		}
		if len(p.items) > 0 && len(fresh) == 0 {
			return fmt.Errorf("kakiyo API %s: page %d repeats only items that earlier pages showed (%d so far); "+
				"the listing does not advance, so it stops here", l.ep, n+1, seen)
		}
		if keyed || len(p.items) > 0 {
			c.trust() // a page under the list's key, or items with ids: Kakiyo's (a bare [] proves nothing)
		}
		received += len(p.items)
		p.items = fresh
		seen += len(p.items)
		if err := fn(p.items); err != nil {
			return err
		}
		switch {
		case p.cursor != "" && len(p.items) > 0:
			if seenCursors[p.cursor] {
				return fmt.Errorf("kakiyo API %s: the cursor %q came back twice", l.ep, p.cursor)
			}
			seenCursors[p.cursor] = true
			query = url.Values{"after": {p.cursor}}
			if l.pageSize > 0 {
				query.Set("limit", strconv.Itoa(l.pageSize))
			}
		case p.total > received && len(p.items) > 0:
			limit := p.limit
			if limit <= 0 {
				limit = max(l.pageSize, len(p.items))
			}
			query = url.Values{"offset": {strconv.Itoa(received)}, "limit": {strconv.Itoa(limit)}}
		default:
			return nil
		}
	}
}

// pageDecoder is the out value of one page's request: it decodes the answer
// from the response body as it is read (see streamed).
type pageDecoder[T any] struct {
	l     list[T]
	p     *page[T]
	keyed *bool // set when the items were found under one of the list's keys
}

func (d pageDecoder[T]) decodeFrom(r io.Reader) error {
	p, err := d.l.decodeFrom(r)
	*d.p = p
	if d.keyed != nil {
		*d.keyed = err == nil && p.keyed
	}
	return err
}

// page is one decoded page of a list answer.
type page[T any] struct {
	items  []T
	cursor string
	total  int
	limit  int
	keyed  bool // found under one of the list's keys (not a bare array)
}

// decode decodes one page held in memory.
func (l list[T]) decode(raw json.RawMessage) (page[T], error) {
	return l.decodeFrom(bytes.NewReader(raw))
}

// decodeFrom decodes one page from r, item by item.
func (l list[T]) decodeFrom(r io.Reader) (page[T], error) {
	var p page[T]
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return p, err
	}
	switch tok {
	case json.Delim('['):
		// A bare array: no room for paging fields.
		if p.items, err = l.items(dec); err != nil {
			return p, err
		}
		return p, l.checkIDs(p.items)
	case json.Delim('{'):
	default:
		return p, errors.New("neither a JSON array nor a JSON object")
	}
	obj, err := l.object(dec, 0)
	if err != nil {
		return p, err
	}
	found, err := l.pick(obj, &p)
	if err != nil {
		return p, err
	}
	if !found {
		return p, fmt.Errorf("no list of %s under any of %v", l.noun, l.keys)
	}
	p.keyed = true
	return p, l.checkIDs(p.items)
}

// items decodes the elements of an array whose '[' was just read, up to and
// including its ']'. An element that is not a T is reported (the first
// one), after the whole array was read.
func (l list[T]) items(dec *json.Decoder) ([]T, error) {
	items := []T{}
	var typeErr error
	for dec.More() {
		var it T
		err := dec.Decode(&it)
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			// The element was read whole; the rest of the array still can be.
			if typeErr == nil {
				typeErr = err
			}
		case err != nil:
			return nil, err
		case typeErr == nil:
			items = append(items, it)
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, err
	}
	if typeErr != nil {
		return nil, typeErr
	}
	return items, nil
}

// object is what one JSON object of a list answer holds: its paging fields
// and, for each of the list's keys, the value found there.
type object[T any] struct {
	cursors map[string]string // nextCursor, next_cursor, cursor
	hasMore *bool
	total   int
	limit   int
	values  map[string]value[T]
}

// value is what one of the list's keys holds: items, items that are not
// T (err), or (at the top level) a nested object.
type value[T any] struct {
	array bool
	items []T
	err   error
	inner *object[T]
}

// object reads the members of an object whose '{' was just read, up to and
// including its '}'. Members that are neither paging fields nor one of the
// list's keys are skipped.
func (l list[T]) object(dec *json.Decoder, depth int) (*object[T], error) {
	o := &object[T]{cursors: map[string]string{}, values: map[string]value[T]{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		switch key {
		case "nextCursor", "next_cursor", "cursor":
			var s string
			if err := decodeOrSkip(dec, &s); err != nil {
				return nil, err
			}
			o.cursors[key] = s
			continue
		case "hasMore":
			var b *bool
			if err := decodeOrSkip(dec, &b); err != nil {
				return nil, err
			}
			o.hasMore = b
			continue
		case "total", "limit":
			var n int
			if err := decodeOrSkip(dec, &n); err != nil {
				return nil, err
			}
			if key == "total" {
				o.total = n
			} else {
				o.limit = n
			}
			continue
		}
		if !l.isKey(key) {
			if err := skip(dec); err != nil {
				return nil, err
			}
			continue
		}
		v, err := l.value(dec, depth)
		if err != nil {
			return nil, err
		}
		o.values[key] = v
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, err
	}
	return o, nil
}

// value reads what one of the list's keys holds.
func (l list[T]) value(dec *json.Decoder, depth int) (value[T], error) {
	var v value[T]
	tok, err := dec.Token()
	if err != nil {
		return v, err
	}
	switch tok {
	case json.Delim('['):
		v.array = true
		v.items, v.err = l.items(dec)
		var ute *json.UnmarshalTypeError
		if v.err != nil && !errors.As(v.err, &ute) {
			return v, v.err // not JSON: nothing more can be read
		}
	case json.Delim('{'):
		if depth > 0 {
			return v, skipRest(dec)
		}
		v.inner, err = l.object(dec, depth+1)
		if err != nil {
			return v, err
		}
	}
	return v, nil
}

func (l list[T]) isKey(k string) bool {
	for _, key := range l.keys {
		if k == key {
			return true
		}
	}
	return false
}

// pick finds the items and the paging fields in o, then one level down in
// an object under one of keys, taking the keys in order of preference.
func (l list[T]) pick(o *object[T], p *page[T]) (bool, error) {
	for _, k := range []string{"nextCursor", "next_cursor", "cursor"} {
		if s := o.cursors[k]; s != "" {
			p.cursor = s
		}
	}
	if o.hasMore != nil && !*o.hasMore {
		p.cursor = "" // explicitly the last page
	}
	if o.total > 0 {
		p.total = o.total
	}
	if o.limit > 0 {
		p.limit = o.limit
	}
	for _, k := range l.keys {
		v, ok := o.values[k]
		if !ok {
			continue
		}
		if v.array && v.err == nil {
			p.items = v.items
			return true, nil
		}
		if v.inner != nil {
			if found, err := l.pick(v.inner, p); found || err != nil {
				return found, err
			}
		}
		if v.array {
			// Present but not a list of items: say so rather than guess.
			return false, fmt.Errorf("%q holds items that are not %s: %w", k, l.noun, v.err)
		}
	}
	return false, nil
}

func (l list[T]) checkIDs(items []T) error {
	for i := range items {
		if l.id(&items[i]) == "" {
			return fmt.Errorf("item #%d of the list of %s has no id", i, l.noun)
		}
	}
	return nil
}

// decodeOrSkip decodes the next value into out; a value of another type is
// skipped, as a field of the wrong type is ignored.
func decodeOrSkip(dec *json.Decoder, out any) error {
	err := dec.Decode(out)
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return nil
	}
	return err
}

// skip reads past the next value.
func skip(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '[' || d == '{') {
		return skipRest(dec)
	}
	return nil
}

// skipRest reads past the rest of an array or object whose opening
// delimiter was just read.
func skipRest(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '[', '{':
				depth++
			default:
				depth--
			}
		}
	}
	return nil
}

// collect returns every item of a list.
func collect[T any](ctx context.Context, c *Client, l list[T]) ([]T, error) {
	var all []T
	err := l.each(ctx, c, func(items []T) error {
		all = append(all, items...)
		return nil
	})
	return all, err
}

// appwriteID sets *id, when it is empty, from the "$id" of the JSON object
// b: Kakiyo's storage (Appwrite) names ids so in some answers.
func appwriteID(b []byte, id *string) {
	if *id != "" {
		return
	}
	var alt struct {
		ID string `json:"$id"`
	}
	if json.Unmarshal(b, &alt) == nil {
		*id = alt.ID
	}
}
