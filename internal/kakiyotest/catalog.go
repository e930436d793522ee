package kakiyotest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// The catalog: models (Kakiyo's API reference, "Models"), products and
// prompts (known from the guide and the n8n node: shapes undocumented, so
// the back door varies them), and the webhook event types
// (GET /webhooks/test/events, a bare array).

// Model is an AI model as GET /models shows it.
type Model struct {
	ID, Name, Status      string
	Input, Output, Cached *float64
}

// Product is a product as GET /products shows it.
type Product struct{ ID, Name, Description string }

// Prompt is a prompt as GET /prompts shows it.
type Prompt struct{ ID, Name, Type, Model string }

type catalogStore struct {
	models   []Model
	products map[string][]Product // by team
	prompts  map[string][]Prompt  // by team
	// How the lists answer: models as documented ({"models": [...], "total"}),
	// products and prompts in any plausible shape.
	modelList, productList, promptList listing
	appwriteIDs                        bool // products and prompts show "$id" instead of "id"
}

func f64(v float64) *float64 { return &v }

// documentedModels are the models of Kakiyo's API reference.
var documentedModels = []Model{
	{ID: "680321c8001e2f527d82", Name: "GPT 5 Mini", Status: "active", Input: f64(0.25), Output: f64(2), Cached: f64(0.1)},
	{ID: "67fcab2e0032f8b20363", Name: "Claude 4 Sonnet", Status: "active", Input: f64(3), Output: f64(15), Cached: nil},
	{ID: "67fccf2900258424236f", Name: "Claude OPUS 4.1", Status: "active", Input: f64(15), Output: f64(75), Cached: nil},
	{ID: "680321e500318611796d", Name: "Gemini 2.5 Flash", Status: "active", Input: f64(0.3), Output: f64(2.5), Cached: nil},
	{ID: "682c0dfc0036ded6b90b", Name: "Gemini 2.5 Pro", Status: "active", Input: f64(1.25), Output: f64(10), Cached: nil},
	{ID: "680321aa001300a6673d", Name: "GPT 4.1", Status: "active", Input: f64(2), Output: f64(8), Cached: f64(0.5)},
}

// webhookEvents are the event types GET /webhooks/test/events documents.
var webhookEvents = []map[string]any{
	{"id": "prospect.qualified", "name": "Prospect qualified", "description": "A prospect was qualified", "category": "prospect"},
	{"id": "prospect.responded", "name": "Prospect responded", "description": "A prospect answered a message", "category": "prospect"},
	{"id": "campaign.completed", "name": "Campaign completed", "description": "A campaign finished", "category": "campaign"},
	{"id": "agent.status_changed", "name": "Agent status changed", "description": "An agent's status changed", "category": "agent"},
	{"id": "message.sent", "name": "Message sent", "description": "An agent sent a message", "category": "message"},
	{"id": "connection.accepted", "name": "Connection accepted", "description": "A prospect accepted an invitation", "category": "connection"},
}

func (s *Server) registerCatalog() {
	s.catalog = catalogStore{models: append([]Model(nil), documentedModels...),
		products: map[string][]Product{}, prompts: map[string][]Prompt{}}
	s.registerCatalogAdmin()
	s.handle(route{pattern: "GET /models", handle: func(c *call) (int, any, *apiError) {
		ids, byID := []string{}, map[string]Model{}
		for _, m := range s.catalog.models {
			if m.Status == "active" { // Kakiyo lists only active models
				ids, byID[m.ID] = append(ids, m.ID), m
			}
		}
		return http.StatusOK, s.catalog.modelList.answer(ids, c.r.URL.Query(), "models", func(id string) map[string]any {
			return byID[id].view()
		}), nil
	}})
	s.handle(route{pattern: "GET /models/{id}", handle: func(c *call) (int, any, *apiError) {
		for _, m := range s.catalog.models {
			if m.ID == c.r.PathValue("id") {
				return http.StatusOK, m.view(), nil
			}
		}
		return 0, nil, errBody(http.StatusNotFound, "not_found", "Model not found")
	}})
	s.handle(route{pattern: "GET /products", handle: func(c *call) (int, any, *apiError) {
		ids, byID := []string{}, map[string]Product{}
		for _, p := range s.catalog.products[c.team] {
			ids, byID[p.ID] = append(ids, p.ID), p
		}
		return http.StatusOK, s.catalog.productList.answer(ids, c.r.URL.Query(), "products", func(id string) map[string]any {
			p := byID[id]
			return map[string]any{s.catalog.idKey(): p.ID, "name": p.Name, "description": p.Description}
		}), nil
	}})
	s.handle(route{pattern: "GET /prompts", handle: func(c *call) (int, any, *apiError) {
		ids, byID := []string{}, map[string]Prompt{}
		for _, p := range s.catalog.prompts[c.team] {
			ids, byID[p.ID] = append(ids, p.ID), p
		}
		return http.StatusOK, s.catalog.promptList.answer(ids, c.r.URL.Query(), "prompts", func(id string) map[string]any {
			p := byID[id]
			return map[string]any{s.catalog.idKey(): p.ID, "name": p.Name, "type": p.Type, "model": p.Model}
		}), nil
	}})
	s.handle(route{pattern: "GET /webhooks/test/events", handle: func(*call) (int, any, *apiError) {
		return http.StatusOK, webhookEvents, nil
	}})
}

func (c catalogStore) idKey() string {
	if c.appwriteIDs {
		return "$id"
	}
	return "id"
}

func (m Model) view() map[string]any {
	return map[string]any{"id": m.ID, "name": m.Name, "status": m.Status,
		"pricing": map[string]any{"input": m.Input, "output": m.Output, "cached": m.Cached}}
}

// ---- back door --------------------------------------------------------------

// SetModels replaces the models (a model whose status is not "active" is
// not listed, as Kakiyo does, but GET /models/{id} finds it).
func (s *Server) SetModels(models ...Model) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.catalog.models = append([]Model(nil), models...)
}

// AddProduct adds a product to the default team and returns its id.
func (s *Server) AddProduct(name, description string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("product")
	s.catalog.products[DefaultTeam] = append(s.catalog.products[DefaultTeam], Product{ID: id, Name: name, Description: description})
	return id
}

// AddPrompt adds a prompt to the default team and returns its id.
func (s *Server) AddPrompt(name, typ, model string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked("prompt")
	s.catalog.prompts[DefaultTeam] = append(s.catalog.prompts[DefaultTeam], Prompt{ID: id, Name: name, Type: typ, Model: model})
	return id
}

// SetCatalogList chooses the shape and paging of GET /products and
// GET /prompts ("products" or "prompts"), and whether their items show
// Appwrite's "$id".
func (s *Server) SetCatalogList(kind string, shape ListShape, paging Paging, pageSize int, appwriteIDs bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := listing{shape: shape, paging: paging, pageSize: pageSize}
	switch strings.ToLower(kind) {
	case "products":
		s.catalog.productList = l
	case "prompts":
		s.catalog.promptList = l
	default:
		panic(fmt.Sprintf("kakiyotest: no list %q", kind))
	}
	s.catalog.appwriteIDs = appwriteIDs
}

// registerCatalogAdmin serves the catalog's back door over HTTP:
//
//	POST /_sim/products   {"name": ..., "description": ...} adds a product
//	POST /_sim/prompts    {"name": ..., "type": ..., "model": ...} adds a prompt
func (s *Server) registerCatalogAdmin() {
	s.adminRoute("POST /_sim/products", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Name, Description string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		writeJSON(w, http.StatusOK, map[string]string{"id": s.AddProduct(in.Name, in.Description)})
	})
	s.adminRoute("POST /_sim/prompts", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Name, Type, Model string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		writeJSON(w, http.StatusOK, map[string]string{"id": s.AddPrompt(in.Name, in.Type, in.Model)})
	})
}
