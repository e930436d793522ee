package kakiyo

import (
	"context"
	"encoding/json"
)

// GET /prompts is known from Kakiyo's guide and n8n node only: its items'
// shape is undocumented. Both an "id" and an Appwrite-style "$id" are accepted.

// Prompt is the instructions of a campaign's messages or invitations.
type Prompt struct {
	ID    string  `json:"id"`
	Name  *string `json:"name"`
	Type  *string `json:"type"`
	Model *string `json:"model"`
}

// UnmarshalJSON accepts "id" or "$id".
func (p *Prompt) UnmarshalJSON(b []byte) error {
	type plain Prompt
	if err := json.Unmarshal(b, (*plain)(p)); err != nil {
		return err
	}
	appwriteID(b, &p.ID)
	return nil
}

var (
	epListPrompts = endpoint{method: "GET", template: "/prompts"}
	promptList    = list[Prompt]{ep: epListPrompts, noun: "prompts", keys: []string{"prompts", "data", "items", "entries"},
		id: func(p *Prompt) string { return p.ID }}
)

// ListPrompts calls GET /prompts (every page).
func (c *Client) ListPrompts(ctx context.Context) ([]Prompt, error) {
	return collect(ctx, c, promptList)
}
