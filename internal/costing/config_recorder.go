package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// configRecorder prices AWS Config's configuration items (one per change of
// every cloud resource in the plan) and its rule evaluations.
func (p *pricer) configRecorder(graph.Node, []string) ([]cost.Component, error) {
	pl := p.platform
	return cost.ConfigRecorder{Region: p.region, Items: float64(p.cloudResources) * pl.ConfigItemsPerResource,
		RuleEvaluations: pl.SecurityHubChecks}.Components(p.cat), nil
}
