package offline

import (
	"testing"

	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

// BenchmarkPreview measures the offline preview: loading and validating the
// config and registry, then evaluating the program under mocks. The 5,000
// tenant case turns WAF rate limits off: its 4,750 shared hosts would need
// more capacity than a web ACL has, and the config refuses that.
func BenchmarkPreview(b *testing.B) {
	big := testproject.Write(b, "big", testproject.BigStack, testproject.SyntheticRegistry(5000))
	for _, tc := range []struct {
		name, dir, stack string
		topology         stacks.Topology
	}{
		{"tenants=200/hybrid", "../..", "prod", stacks.Hybrid},
		{"tenants=200/multi-instance", "../..", "prod", stacks.MultiInstance},
		{"tenants=5000/hybrid", big, "big", stacks.Hybrid},
	} {
		b.Run(tc.name+"/load", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := stacks.Load(tc.dir, tc.stack, stacks.LoadOptions{Topology: tc.topology}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/evaluate", func(b *testing.B) {
			cfg, err := stacks.Load(tc.dir, tc.stack, stacks.LoadOptions{Topology: tc.topology})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var n int
			for b.Loop() {
				p, err := Run(cfg)
				if err != nil {
					b.Fatal(err)
				}
				n = len(p.Resources)
			}
			b.ReportMetric(float64(n), "resources")
		})
	}
}
