package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// logMetricFilter prices the custom metric a filter publishes.
func (p *pricer) logMetricFilter(graph.Node, []string) ([]cost.Component, error) {
	return cost.LogMetricFilter{Region: p.region}.Components(p.cat), nil
}
