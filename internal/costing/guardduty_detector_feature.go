package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
)

// guardDutyFeature prices a GuardDuty protection plan. RDS Protection bills
// the vCPUs of the provisioned instances it monitors. The stored GuardDuty
// User Guide page lists Aurora only; later material names RDS for
// PostgreSQL too, so the tenants' RDS instances (their primaries: a standby
// takes no logins) are priced as well rather than risk a figure that is too
// low.
func (p *pricer) guardDutyFeature(n graph.Node, _ []string) ([]cost.Component, error) {
	var vcpus int64
	for _, typ := range []string{"aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"} {
		for _, db := range p.g.OfType(typ) {
			vcpus += cost.DBInstanceVCPUs(db.Str("instanceClass"))
		}
	}
	return cost.GuardDutyFeature{Region: p.region, Name: n.Str("name"), VCPUs: float64(vcpus)}.Components(p.cat), nil
}

// disabledFeature: a disabled GuardDuty feature is not billed.
func disabledFeature(n graph.Node) (string, bool) {
	return "a disabled GuardDuty feature is not billed", n.Str("status") == "DISABLED"
}
