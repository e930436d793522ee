package kakiyo

import (
	"context"
	"encoding/json"
	"net/url"
)

// Model is an AI model agents can use (GET /models, GET /models/{id}):
// {"id", "name", "pricing": {"input", "output", "cached"}, "status"}.
// Kakiyo lists only active models; pricing.cached may be null.
type Model struct {
	ID      string        `json:"id"`
	Name    *string       `json:"name"`
	Status  *string       `json:"status"`
	Pricing *ModelPricing `json:"pricing"`
}

// ModelPricing is a model's price per unit of tokens (the unit is not
// documented: the figures look like dollars per million).
type ModelPricing struct {
	Input  *float64 `json:"input"`
	Output *float64 `json:"output"`
	Cached *float64 `json:"cached"`
}

var (
	epListModels = endpoint{method: "GET", template: "/models"}
	epGetModel   = endpoint{method: "GET", template: "/models/{id}"}
	modelList    = list[Model]{ep: epListModels, noun: "models", keys: []string{"models", "data", "items"},
		id: func(m *Model) string { return m.ID }}
)

// ListModels calls GET /models (documented: {"models": [...], "total": n}).
func (c *Client) ListModels(ctx context.Context) ([]Model, error) { return collect(ctx, c, modelList) }

// GetModel calls GET /models/{id}: a bare model object (or one wrapped in
// "model" or "data").
func (c *Client) GetModel(ctx context.Context, id string) (*Model, error) {
	var raw json.RawMessage
	path := "/models/" + url.PathEscape(id)
	if err := c.do(ctx, epGetModel, path, nil, &raw); err != nil {
		return nil, err
	}
	var m Model
	if err := unwrap(raw, []string{"model", "data"}, &m); err != nil {
		return nil, &DecodeError{Method: "GET", Path: path, StatusCode: 200, Body: c.snippet(raw), Err: err}
	}
	if m.ID == "" {
		m.ID = id
	}
	return &m, nil
}
