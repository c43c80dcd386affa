package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// secret prices a Secrets Manager secret in the region it lives in.
func (p *pricer) secret(n graph.Node, _ []string) ([]cost.Component, error) {
	return cost.SecretsManagerSecret{Region: p.regionOf(n)}.Components(p.cat), nil
}
