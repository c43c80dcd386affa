package costing

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// backupVault prices the Aurora disaster-recovery copies a vault holds as
// AWS bills them: each snapshot and each cross-region copy is the whole
// volume; home snapshots inside the cluster's retention are free (see
// cost.BackupVault).
func (p *pricer) backupVault(n graph.Node, served []string) ([]cost.Component, error) {
	plan, ok := p.g.Sibling(n, "aws:backup/plan:Plan")
	if !ok {
		return nil, fmt.Errorf("backup vault without a plan beside it: tenancy cannot tell what it holds")
	}
	sched, err := p.backupScheduleOf(plan)
	if err != nil {
		return nil, err
	}
	volumeGB := p.sum(served, func(x stacks.Workload) float64 { return x.DBStorageGB })
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	switch tagsIn[cost.BackupTagKey] {
	case cost.BackupTagHome:
		retention := 0.0
		if cluster, ok := p.g.Sibling(n, "aws:rds/cluster:Cluster"); ok {
			retention, _ = cluster.Num("backupRetentionPeriod")
		}
		return cost.BackupVault{Region: p.regionOf(n), VolumeGB: volumeGB,
			RecoveryPoints: cost.RecoveryPoints(sched.homeDays, sched.everyDays),
			FreePoints:     cost.RecoveryPoints(min(sched.homeDays, int(retention)), sched.everyDays)}.Components(p.cat), nil
	case cost.BackupTagCopy:
		return cost.BackupVault{Region: p.regionOf(n), VolumeGB: volumeGB,
			RecoveryPoints: cost.RecoveryPoints(sched.copyDays, sched.everyDays)}.Components(p.cat), nil
	}
	return nil, fmt.Errorf("backup vault has no %s tag (%s or %s): tenancy cannot tell what it holds", cost.BackupTagKey, cost.BackupTagHome, cost.BackupTagCopy)
}

// databasesVault: the dedicated databases' vault is priced on each database.
func databasesVault(n graph.Node) (string, bool) {
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	return "holds the dedicated databases' AWS Backup snapshots, which each database's backup storage line prices",
		tagsIn[cost.BackupTagKey] == cost.BackupTagDatabases
}
