package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/pricelist"
)

type pricesOptions struct{ region, dir, endpoint string }

func pricesRefreshCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var o pricesOptions
	return command("refresh", "rebuild cost/prices/<region>.json from the AWS Price List Query API",
		"Rebuild cost/prices/<region>.json from the AWS Price List Query API. Needs AWS credentials allowed\n"+
			"pricing:GetProducts; without them the catalog is unchanged and the command exits 5.",
		noArgs, func(fs *pflag.FlagSet) {
			fs.StringVar(&o.region, "region", "us-east-1", "the catalog region to rebuild (cost/prices/<region>.json)")
			fs.StringVar(&o.dir, "dir", ".", "the project folder")
			fs.StringVar(&o.endpoint, "endpoint", "", "a Price List API endpoint other than AWS's (for tests)")
		}, func([]string) int { return o.run(stdout, stderr) }, code)
}

func (o *pricesOptions) run(stdout, stderr io.Writer) int {
	region, dir, endpoint := &o.region, &o.dir, &o.endpoint
	path := filepath.Join(*dir, "cost", "prices", *region+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v (fix: start a region by copying cost/prices/us-east-1.json and setting its region)\n", err)
		return exitRuntime
	}
	var current cost.RegionPrices
	if err := json.Unmarshal(b, &current); err != nil || current.Region != *region {
		fmt.Fprintf(stderr, "tenancy prices: %s is not the catalog of %s\n", path, *region)
		return exitRuntime
	}
	ctx := context.Background()
	// The Price List API answers in us-east-1 for every region's prices.
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"))
	if err == nil {
		_, err = cfg.Credentials.Retrieve(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: no AWS credentials (%v); the catalog is unchanged. Sign in (aws sso login, AWS_PROFILE) with pricing:GetProducts allowed.\n", err)
		return exitRuntime
	}
	client := pricing.NewFromConfig(cfg, func(o *pricing.Options) {
		if *endpoint != "" {
			o.BaseEndpoint = aws.String(*endpoint)
		}
	})
	next, sum, err := pricelist.Refresh(ctx, client, current, time.Now().UTC().Format("2006-01-02"))
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitRuntime
	}
	if _, err := cost.NewCatalog(next); err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitRuntime
	}
	out, err := json.MarshalIndent(next, "", " ")
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitRuntime
	}
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitRuntime
	}
	fmt.Fprintf(stdout, "%s: %d prices refreshed from the Price List API, %d kept (no query for them), %d not found (old price kept):\n",
		path, len(sum.Refreshed), len(sum.Kept), len(sum.Failed))
	for _, f := range sum.Failed {
		fmt.Fprintf(stdout, "  - %s\n", f)
	}
	fmt.Fprintln(stdout, "Rebuild (go build) to embed the new catalog; review the diff like code.")
	if len(sum.Failed) > 0 {
		return exitRuntime
	}
	return exitOK
}
