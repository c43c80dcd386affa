package costing

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// rdsInstance prices a dedicated tenant's PostgreSQL instance: its storage,
// its automated backups and the AWS Backup snapshots kept of it.
func (p *pricer) rdsInstance(n graph.Node, served []string) ([]cost.Component, error) {
	pl := p.platform
	storage, _ := n.Num("allocatedStorage")
	retention, _ := n.Num("backupRetentionPeriod")
	data := p.sum(served, func(x stacks.Workload) float64 { return x.DBStorageGB })
	snapshots, err := p.awsBackupSnapshotsGB(n, data)
	if err != nil {
		return nil, err
	}
	return cost.RDSInstance{Region: p.region, Class: n.Str("instanceClass"), MultiAZ: n.Bool("multiAz"), StorageGB: storage,
		StorageType: n.Str("storageType"), BackupGB: cost.BackupStoredGB(data, int(retention), pl.BackupDailyChangeRate), SnapshotGB: snapshots,
		ManagedSecret: n.Bool("manageMasterUserPassword"), MonitoringLogGB: monitoring(n, pl)}.Components(p.cat), nil
}

// monitoring is the enhanced monitoring log volume of a database instance.
func monitoring(n graph.Node, pl stacks.PlatformUsage) float64 {
	if v, _ := n.Num("monitoringInterval"); v > 0 {
		return pl.DBMonitoringLogGBPerInstance
	}
	return 0
}

// awsBackupSnapshotsGB is what an AWS Backup plan keeps of an RDS instance
// it selects by tag: the first snapshot in full and each later one's
// changes (RDS snapshots are incremental), which count towards the
// instance's backup storage with its automated backups (RDS bills what
// exceeds 100% of its storage). Zero when no plan selects it.
func (p *pricer) awsBackupSnapshotsGB(n graph.Node, dataGB float64) (float64, error) {
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	want, _ := tagsIn[cost.DatabaseBackupTag].(string)
	if want == "" {
		return 0, nil
	}
	for _, sel := range p.g.OfType("aws:backup/selection:Selection") {
		if graph.Path(sel.Inputs, "selectionTags", 0, "key") != cost.DatabaseBackupTag || graph.Path(sel.Inputs, "selectionTags", 0, "value") != want {
			continue
		}
		plan, ok := p.g.Sibling(sel, "aws:backup/plan:Plan")
		if !ok {
			return 0, fmt.Errorf("backup selection %s without a plan beside it", sel.URN)
		}
		sched, err := p.backupScheduleOf(plan)
		if err != nil {
			return 0, err
		}
		points := cost.RecoveryPoints(sched.homeDays, sched.everyDays)
		return dataGB * (1 + max(points-1, 0)*p.platform.BackupDailyChangeRate*float64(sched.everyDays)), nil
	}
	return 0, nil
}
