package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
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

// pricesCmd: tenancy prices refresh --region R [--dir .] [--endpoint URL]
func pricesCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "refresh" {
		fmt.Fprintln(stderr, "usage: tenancy prices refresh --region REGION [--dir DIR] [--endpoint URL]")
		return exitUsage
	}
	fs := flag.NewFlagSet("prices refresh", flag.ContinueOnError)
	fs.SetOutput(stderr)
	region := fs.String("region", "us-east-1", "the catalog region to rebuild (cost/prices/<region>.json)")
	dir := fs.String("dir", ".", "the project folder")
	endpoint := fs.String("endpoint", "", "a Price List API endpoint other than AWS's (for tests)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	path := filepath.Join(*dir, "cost", "prices", *region+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v (fix: start a region by copying cost/prices/us-east-1.json and setting its region)\n", err)
		return exitInvalid
	}
	var current cost.RegionPrices
	if err := json.Unmarshal(b, &current); err != nil || current.Region != *region {
		fmt.Fprintf(stderr, "tenancy prices: %s is not the catalog of %s\n", path, *region)
		return exitInvalid
	}
	ctx := context.Background()
	// The Price List API answers in us-east-1 for every region's prices.
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion("us-east-1"))
	if err == nil {
		_, err = cfg.Credentials.Retrieve(ctx)
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: no AWS credentials (%v); the catalog is unchanged. Sign in (aws sso login, AWS_PROFILE) with pricing:GetProducts allowed.\n", err)
		return exitInvalid
	}
	client := pricing.NewFromConfig(cfg, func(o *pricing.Options) {
		if *endpoint != "" {
			o.BaseEndpoint = aws.String(*endpoint)
		}
	})
	next, sum, err := pricelist.Refresh(ctx, client, current, time.Now().UTC().Format("2006-01-02"))
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitInvalid
	}
	if _, err := cost.NewCatalog(next); err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitInvalid
	}
	out, err := json.MarshalIndent(next, "", " ")
	if err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitInvalid
	}
	if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
		fmt.Fprintf(stderr, "tenancy prices: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%s: %d prices refreshed from the Price List API, %d kept (no query for them), %d not found (old price kept):\n",
		path, len(sum.Refreshed), len(sum.Kept), len(sum.Failed))
	for _, f := range sum.Failed {
		fmt.Fprintf(stdout, "  - %s\n", f)
	}
	fmt.Fprintln(stdout, "Rebuild (go build) to embed the new catalog; review the diff like code.")
	if len(sum.Failed) > 0 {
		return exitInvalid
	}
	return exitOK
}
