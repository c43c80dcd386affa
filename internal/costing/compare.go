package costing

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// CompareOptions choose what after is.
type CompareOptions struct {
	// Topology overrides the stack's topology for after.
	Topology stacks.Topology
	// Tenants and Add grow both sides for a what-if (stacks.LoadOptions).
	Tenants int
	Add     map[stacks.Tier]int
	// Pricing prices both sides at a commitment term (stacks.PricingModes).
	Pricing string
	// AfterConfig, when set, is after's config as the caller loaded it with
	// the options above, so it is not loaded twice.
	AfterConfig *stacks.Config
	// After, when set, is priced instead of evaluating the program (a real
	// `pulumi preview --json` or `pulumi stack export`).
	After *graph.Graph
	// Evaluate runs the program on a config and returns its resources
	// (offline.Evaluate: the program under mocks). It is passed in so that
	// pricing does not link the program and pulumi-aws.
	Evaluate Evaluator
}

// Evaluator runs the program on a config and returns its resources.
type Evaluator func(*stacks.Config) (*graph.Graph, error)

// Compare prices a stack before (the program evaluated with every tenant
// dedicated) and after (the stack's own topology, or opts.After), on the same
// workload.
func Compare(dir, stack string, opts CompareOptions) (*Report, error) {
	if opts.Evaluate == nil {
		return nil, fmt.Errorf("costing: no evaluator to run the program with")
	}
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return nil, err
	}
	afterCfg := opts.AfterConfig
	if afterCfg == nil {
		if afterCfg, err = stacks.Load(dir, stack, stacks.LoadOptions{Topology: opts.Topology, Tenants: opts.Tenants, Add: opts.Add, Pricing: opts.Pricing}); err != nil {
			return nil, err
		}
	}
	beforeCfg, err := stacks.Load(dir, stack, stacks.LoadOptions{Topology: stacks.MultiInstance, Tenants: opts.Tenants, Add: opts.Add, Pricing: opts.Pricing})
	if err != nil {
		return nil, err
	}
	// Before and after are independent: each is evaluated and priced on a
	// core of its own.
	var before *Estimate
	var beforeErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		before, beforeErr = evaluateAndPrice("before", beforeCfg, cat, opts.Evaluate)
	}()
	var after *Estimate
	if opts.After != nil {
		after, err = Price("after", opts.After, afterCfg, cat)
	} else {
		after, err = evaluateAndPrice("after", afterCfg, cat, opts.Evaluate)
	}
	<-done
	if beforeErr != nil {
		return nil, beforeErr
	}
	if err != nil {
		return nil, err
	}
	return &Report{Project: afterCfg.Project, Stack: stack, Region: afterCfg.Region, Before: before, After: after,
		InvestmentUSD: decimal.NewFromInt(int64(afterCfg.MigrationInvestmentUSD)), DR: DROptions(afterCfg, cat)}, nil
}

func evaluateAndPrice(label string, cfg *stacks.Config, cat *cost.Catalog, evaluate Evaluator) (*Estimate, error) {
	if len(cat.Keys(cfg.Region)) == 0 {
		return nil, fmt.Errorf("the price catalog has no prices for %s (it has %v); run `tenancy prices refresh --region %s`", cfg.Region, cat.Regions(), cfg.Region)
	}
	g, err := evaluate(cfg)
	if err != nil {
		return nil, err
	}
	return Price(label, g, cfg, cat)
}

// PriceAfter prices a stack's own topology alone, as a report whose before
// is its after: what a cost diff reads of the head, at half the cost of a
// Compare (which evaluates every tenant dedicated too).
func PriceAfter(dir, stack string, evaluate Evaluator) (*Report, error) {
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return nil, err
	}
	cfg, err := stacks.Load(dir, stack, stacks.LoadOptions{})
	if err != nil {
		return nil, err
	}
	e, err := evaluateAndPrice("after", cfg, cat, evaluate)
	if err != nil {
		return nil, err
	}
	return &Report{Project: cfg.Project, Stack: stack, Region: cfg.Region, Before: e, After: e}, nil
}

// PriceStack evaluates one stack in one topology (its own when topology is
// empty) and prices it: the after side of a report, without the before.
func PriceStack(dir, stack string, topology stacks.Topology, evaluate Evaluator) (*Estimate, error) {
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return nil, err
	}
	cfg, err := stacks.Load(dir, stack, stacks.LoadOptions{Topology: topology})
	if err != nil {
		return nil, err
	}
	return evaluateAndPrice("after", cfg, cat, evaluate)
}
