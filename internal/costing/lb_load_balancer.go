package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// loadBalancer prices an ALB's hours, its LCUs, its public addresses and
// the internet egress of what it serves.
func (p *pricer) loadBalancer(n graph.Node, served []string) ([]cost.Component, error) {
	pl := p.platform
	w := func(f func(stacks.Workload) float64) float64 { return p.sum(served, f) }
	processed := w(func(x stacks.Workload) float64 { return x.DataOutGB + x.DataInGB })
	// An LCU is 1 GB an hour or 25 new connections a second, whichever is more.
	conns := w(func(x stacks.Workload) float64 { return x.RequestsMillions * 1e6 * pl.NewConnectionsPerRequest }) / (25 * 3600)
	ips := int64(2) // an ALB spans at least two AZs; used when the subnets are not known yet
	if subnets, ok := n.List("subnets"); ok && len(subnets) > 0 {
		ips = int64(len(subnets))
	}
	return cost.ApplicationLoadBalancer{Region: p.region, LCUHours: max(processed, conns), PublicIPv4s: ips,
		EgressGB: w(func(x stacks.Workload) float64 { return x.DataOutGB }), EgressRate: p.egress}.Components(p.cat), nil
}
