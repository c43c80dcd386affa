package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// metricAlarm prices a standard-resolution alarm.
func (p *pricer) metricAlarm(graph.Node, []string) ([]cost.Component, error) {
	return cost.MetricAlarm{Region: p.region}.Components(p.cat), nil
}
