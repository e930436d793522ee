package kakiyo

import (
	"context"
	"testing"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyotest"
)

func TestCatalog(t *testing.T) {
	srv := kakiyotest.Start(t)
	c, _ := New(Config{BaseURL: srv.URL(), APIKey: kakiyotest.DefaultAPIKey})
	ctx := context.Background()
	models, err := c.ListModels(ctx)
	if err != nil || len(models) != 6 || models[0].Pricing == nil || models[0].Pricing.Input == nil {
		t.Fatalf("models %+v, %v", models, err)
	}
	m, err := c.GetModel(ctx, "67fcab2e0032f8b20363")
	if err != nil || *m.Name != "Claude 4 Sonnet" || m.Pricing.Cached != nil {
		t.Errorf("model %+v, %v", m, err)
	}
	if _, err := c.GetModel(ctx, "nope"); !IsNotFound(err) {
		t.Errorf("unknown model: %v", err)
	}
	srv.SetCatalogList("products", kakiyotest.ListNestedData, kakiyotest.PagingOffset, 1, true)
	id := srv.AddProduct("Pro", "Outreach")
	srv.AddProduct("Lite", "")
	products, err := c.ListProducts(ctx)
	if err != nil || len(products) != 2 || products[0].ID != id || *products[0].Name != "Pro" {
		t.Errorf("products %+v, %v", products, err)
	}
	srv.AddPrompt("First touch", "invitation", "m1")
	if prompts, err := c.ListPrompts(ctx); err != nil || len(prompts) != 1 || *prompts[0].Type != "invitation" {
		t.Errorf("prompts %+v, %v", prompts, err)
	}
	if events, err := c.ListWebhookEvents(ctx); err != nil || len(events) != 6 || events[0].ID != "prospect.qualified" {
		t.Errorf("events %+v, %v", events, err)
	}
}
