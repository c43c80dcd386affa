package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// kmsKey prices a customer managed key and its requests.
func (p *pricer) kmsKey(graph.Node, []string) ([]cost.Component, error) {
	return cost.KMSKey{Region: p.region, Requests: p.platform.KMSRequestsPerKey}.Components(p.cat), nil
}
