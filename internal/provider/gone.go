package provider

import (
	"context"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/kakiyo"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/walk"
)

// settleGone tells what a failed read or delete says of its object: gone
// (true) when Kakiyo itself said so (a not_found through a base URL that is
// the Kakiyo API: kakiyo.Client.Gone) or a complete listing does not show
// it (walk.NotListed); otherwise the error to report: err, or why its
// not_found cannot be taken as Kakiyo's. Only then may an object leave the
// state. It knows no Kakiyo object.
func settleGone(ctx context.Context, c *kakiyo.Client, err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	if walk.NotListed(err) {
		return true, nil
	}
	if c == nil {
		return false, err
	}
	gone, gerr := c.Gone(ctx, err)
	switch {
	case gone:
		return true, nil
	case gerr != nil:
		return false, gerr
	}
	return false, err
}
