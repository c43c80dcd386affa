package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// securityHub prices Security Hub's security checks.
func (p *pricer) securityHub(graph.Node, []string) ([]cost.Component, error) {
	return cost.SecurityHub{Region: p.region, Checks: p.platform.SecurityHubChecks}.Components(p.cat), nil
}
