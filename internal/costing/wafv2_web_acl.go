package costing

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// webACL prices a web ACL, its rules and the requests it inspects.
func (p *pricer) webACL(n graph.Node, served []string) ([]cost.Component, error) {
	rules, err := n.JSONCount("ruleJson")
	if err != nil {
		return nil, fmt.Errorf("web ACL rules: %w", err)
	}
	return cost.WebACL{Region: p.region, Rules: int64(rules),
		RequestsMillions: p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions })}.Components(p.cat), nil
}
