package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/provider"
	"github.com/kakiyo/terraform-provider-kakiyo/internal/quietlog"
)

// Run "go generate" to format example Terraform files and generate the docs.
//go:generate terraform fmt -recursive ./examples/
//go:generate go tool tfplugindocs generate --provider-name kakiyo --website-source-dir examples/templates --rendered-provider-name Kakiyo

// softMemoryLimit is the Go heap size past which the provider's garbage
// collector works harder, unless GOMEMLIMIT says otherwise. Terraform runs
// one provider process per run (and CI runs many runs at once); without a
// limit, the Go runtime lets the heap grow to twice what is live before it
// collects, which for a listing of 10,000 agents means about 100 MiB of
// resident memory instead of about 60. It is a soft limit: a larger live heap
// is still served, at the cost of more frequent collections.
const softMemoryLimit = 40 << 20

// version is set by the release build (goreleaser) with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	quietlog.UnlessAsked()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/kakiyo/kakiyo",
		Debug:   debugMode,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
