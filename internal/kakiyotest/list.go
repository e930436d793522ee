package kakiyotest

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
)

// How the double pages and wraps a list whose shape Kakiyo has not
// documented, so that every plausible variant stays tested.

// ListShape selects how a list answer wraps its items.
type ListShape int

const (
	// ListObjectKey answers {"<objects>": [...], "total": n}, like /models
	// ({"agents": [...]} for agents).
	ListObjectKey ListShape = iota
	// ListBareArray answers [...] (no room for paging fields).
	ListBareArray
	// ListDataKey answers {"data": [...], "total": n}.
	ListDataKey
	// ListItemsKey answers {"items": [...], "total": n}.
	ListItemsKey
	// ListNestedData answers {"data": {"<objects>": [...], "total", "limit", "offset"}}, like DNC.
	ListNestedData
)

// Paging selects how a list pages.
type Paging int

const (
	// PagingNone returns every item at once.
	PagingNone Paging = iota
	// PagingOffset honors ?offset=&limit= and reports total, limit, offset.
	PagingOffset
	// PagingCursor honors ?after=<cursor> and reports nextCursor and hasMore.
	PagingCursor
)

// listing is how one list endpoint answers.
type listing struct {
	shape    ListShape
	paging   Paging
	pageSize int
	omit     []string        // keys left out of every item (a summary)
	hidden   map[string]bool // ids left out of the list (a stale index)
	// stuck answers the first page to every page's request, under a total
	// far larger than the list: paging that never advances (a hostile or
	// broken API).
	stuck bool
}

// answer pages the sorted ids by query, renders each with view, and wraps
// the page under key as l says.
func (l listing) answer(ids []string, query url.Values, key string, view func(id string) map[string]any) any {
	if len(l.hidden) > 0 {
		ids = slices.DeleteFunc(ids, func(id string) bool { return l.hidden[id] })
	}
	sort.Strings(ids)
	total := len(ids)
	extra := map[string]any{"total": total}
	page := ids
	pageSize := l.pageSize
	if pageSize <= 0 {
		pageSize = 100
	}
	if l.stuck {
		query = url.Values{"limit": query["limit"]} // every request gets the first page
	}
	switch l.paging {
	case PagingOffset:
		offset, _ := strconv.Atoi(query.Get("offset"))
		limit, err := strconv.Atoi(query.Get("limit"))
		if err != nil || limit <= 0 {
			limit = pageSize
		}
		offset = min(max(offset, 0), total)
		page = ids[offset:min(offset+limit, total)]
		extra["offset"], extra["limit"] = offset, limit
	case PagingCursor:
		start := 0
		if after := query.Get("after"); after != "" {
			start = sort.SearchStrings(ids, after)
			if start < total && ids[start] == after {
				start++
			}
		}
		end := min(start+pageSize, total)
		page = ids[start:end]
		extra["hasMore"] = end < total
		if end < total {
			extra["nextCursor"] = ids[end-1]
		}
	}
	if l.stuck {
		extra["total"] = 1_000_000
		if l.paging == PagingCursor {
			extra["hasMore"], extra["nextCursor"] = true, "c"+strconv.Itoa(len(ids)) // a new cursor, the same page
		}
	}
	items := make([]map[string]any, 0, len(page))
	for _, id := range page {
		item := view(id)
		for _, k := range l.omit {
			delete(item, k)
		}
		items = append(items, item)
	}
	wrap := func(k string) map[string]any {
		m := map[string]any{k: items}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	switch l.shape {
	case ListBareArray:
		return items
	case ListDataKey:
		return wrap("data")
	case ListItemsKey:
		return wrap("items")
	case ListNestedData:
		return map[string]any{"data": wrap(key)}
	}
	return wrap(key)
}
