package kakiyo

import (
	"context"
	"encoding/json"
)

// GET /products is known from Kakiyo's guide and n8n node only: its items'
// shape is undocumented. Both an "id" and an Appwrite-style "$id" are accepted.

// Product is something agents sell: a name and a description.
type Product struct {
	ID          string  `json:"id"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
}

// UnmarshalJSON accepts "id" or "$id".
func (p *Product) UnmarshalJSON(b []byte) error {
	type plain Product
	if err := json.Unmarshal(b, (*plain)(p)); err != nil {
		return err
	}
	appwriteID(b, &p.ID)
	return nil
}

var (
	epListProducts = endpoint{method: "GET", template: "/products"}
	productList    = list[Product]{ep: epListProducts, noun: "products", keys: []string{"products", "data", "items", "entries"},
		id: func(p *Product) string { return p.ID }}
)

// ListProducts calls GET /products (every page).
func (c *Client) ListProducts(ctx context.Context) ([]Product, error) {
	return collect(ctx, c, productList)
}
