package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// natGateway prices a NAT gateway's hours and its share of what its owner's
// NAT gateways process.
func (p *pricer) natGateway(n graph.Node, served []string) ([]cost.Component, error) {
	nats := 0
	for _, s := range p.g.Children(n.Parent) {
		if s.Type == n.Type {
			nats++
		}
	}
	return cost.NATGateway{Region: p.region, ProcessedGB: p.natTraffic(n, served) / float64(max(nats, 1))}.Components(p.cat), nil
}

// natTraffic is what the NAT gateways of n's owner (its tenant stack or the
// shared tier) process a month: the tenants' outbound calls and, with no
// interface endpoints, the logs the app servers ship to CloudWatch, plus the
// servers' own traffic. S3 traffic takes the gateway endpoint.
func (p *pricer) natTraffic(n graph.Node, served []string) float64 {
	pl := p.platform
	return p.sum(served, func(x stacks.Workload) float64 { return x.NATInternetGB + x.AppLogGB + x.AuditLogGB }) +
		(pl.AppInstanceNATGB+pl.AppInstanceLogGB)*p.appServers(n)
}
