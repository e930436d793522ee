package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/kakiyo/terraform-provider-kakiyo/internal/provider"
)

// Run "go generate" to format example Terraform files and generate the docs.
//go:generate terraform fmt -recursive ./examples/
//go:generate go tool tfplugindocs generate --provider-name kakiyo --website-source-dir examples/templates --rendered-provider-name Kakiyo

// version is set by the release build (goreleaser) with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/kakiyo/kakiyo",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
