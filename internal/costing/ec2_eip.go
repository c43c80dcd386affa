package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// elasticIP prices a public IPv4 address.
func (p *pricer) elasticIP(graph.Node, []string) ([]cost.Component, error) {
	return cost.ElasticIP{Region: p.region}.Components(p.cat), nil
}
