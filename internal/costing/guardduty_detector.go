package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// guardDuty prices the detector's analysis of CloudTrail events and VPC
// flows. GuardDuty reads every VPC's flows (from a stream of its own, flow
// logs or not): the same volume the flow-log groups ingest.
func (p *pricer) guardDuty(graph.Node, []string) ([]cost.Component, error) {
	flows := 0.0
	for _, vpc := range p.g.OfType(graph.TypeNetwork) {
		flows += p.flowLogGB(p.served(vpc))
	}
	return cost.GuardDuty{Region: p.region, CloudTrailEventsMillions: p.platform.CloudTrailEventsMillions, FlowLogGB: flows}.Components(p.cat), nil
}
