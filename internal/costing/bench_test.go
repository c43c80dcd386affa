package costing

import (
	"testing"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

// BenchmarkCost splits a cost run into evaluating the program under mocks
// and pricing the graph (its conversion to plain data included), for prod
// in both topologies of a report and for 5,000 tenants.
func BenchmarkCost(b *testing.B) {
	cat, err := cost.DefaultCatalog()
	if err != nil {
		b.Fatal(err)
	}
	big := testproject.Write(b, "big", testproject.BigStack, testproject.SyntheticRegistry(5000))
	for _, tc := range []struct {
		name, dir, stack string
		topology         stacks.Topology
	}{
		{"tenants=200/hybrid", "../..", "prod", stacks.Hybrid},
		{"tenants=200/multi-instance", "../..", "prod", stacks.MultiInstance},
		{"tenants=5000/hybrid", big, "big", stacks.Hybrid},
		{"tenants=5000/multi-instance", big, "big", stacks.MultiInstance},
	} {
		cfg, err := stacks.Load(tc.dir, tc.stack, stacks.LoadOptions{Topology: tc.topology})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/evaluate", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := offline.Run(cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
		plan, err := offline.Run(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name+"/price", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				// A fresh plan converts the graph to plain data again, as a run does.
				fresh := &offline.Plan{Config: plan.Config, StackURN: plan.StackURN, Resources: plan.Resources}
				if _, err := Price("after", fresh.Graph(), cfg, cat); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompare is what `tenancy cost --stack S` does: load, evaluate
// before and after (dedicated tenants of one shape once), price both.
func BenchmarkCompare(b *testing.B) {
	big := testproject.Write(b, "big", testproject.BigStack, testproject.SyntheticRegistry(5000))
	for _, tc := range []struct{ name, dir, stack string }{
		{"tenants=200", "../..", "prod"},
		{"tenants=5000", big, "big"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compare(tc.dir, tc.stack, CompareOptions{Evaluate: offline.EvaluateScaled}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
