package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// autoScalingGroup prices the shared tier's app servers at the group's
// desired size (its minimum when no desired size is set).
func (p *pricer) autoScalingGroup(n graph.Node, served []string) ([]cost.Component, error) {
	t := p.appTierOf(n)
	metrics := p.sum(served, func(x stacks.Workload) float64 { return x.CustomMetrics })
	desired, ok := n.Num("desiredCapacity")
	if !ok {
		desired, _ = n.Num("minSize")
	}
	comps := cost.AutoScalingGroup{Region: p.region, InstanceType: t.instanceType, Instances: int64(desired), RootVolumeGB: t.rootGB,
		VolumeType: t.volumeType, CustomMetrics: metrics}.Components(p.cat)
	return p.appTierTraffic(n, served, comps, metrics), nil
}
