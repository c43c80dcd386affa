package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// rdsCluster prices the shared Aurora cluster's storage, I/O and backups,
// or, for a headless secondary of a global database, its replicated copy.
func (p *pricer) rdsCluster(n graph.Node, served []string) ([]cost.Component, error) {
	pl := p.platform
	retention, _ := n.Num("backupRetentionPeriod")
	data := p.sum(served, func(x stacks.Workload) float64 { return x.DBStorageGB })
	ioMillions := p.sum(served, func(x stacks.Workload) float64 { return x.DBIOMillions })
	backupGB := cost.BackupStoredGB(data, int(retention), pl.BackupDailyChangeRate)
	if n.Str("globalClusterIdentifier") != "" {
		return cost.AuroraGlobalSecondary{Region: p.regionOf(n), StorageGB: data, ReplicatedWriteIOMillions: ioMillions * pl.DBWriteIOShare,
			BackupGB: backupGB}.Components(p.cat), nil
	}
	return cost.AuroraCluster{Region: p.region, StorageGB: data, IOMillions: ioMillions, BackupGB: backupGB,
		ManagedSecret: n.Bool("manageMasterUserPassword"), IOOptimized: n.Str("storageType") == "aurora-iopt1"}.Components(p.cat), nil
}

// rdsClusterInstance prices one Aurora instance.
func (p *pricer) rdsClusterInstance(n graph.Node, _ []string) ([]cost.Component, error) {
	// The instance is billed as its cluster's storage type says: the cluster
	// beside it in this region (a global database's secondary is elsewhere).
	ioOptimized := false
	for _, c := range p.g.Children(n.Parent) {
		if c.Type == "aws:rds/cluster:Cluster" && p.regionOf(c) == p.region {
			ioOptimized = c.Str("storageType") == "aurora-iopt1"
		}
	}
	return cost.AuroraInstance{Region: p.region, Class: n.Str("instanceClass"), MonitoringLogGB: monitoring(n, p.platform),
		IOOptimized: ioOptimized}.Components(p.cat), nil
}

// rdsProxy prices a proxy by the vCPUs of the cluster instances beside it.
func (p *pricer) rdsProxy(n graph.Node, _ []string) ([]cost.Component, error) {
	var vcpus int64
	for _, ci := range p.g.Children(n.Parent) {
		if ci.Type == "aws:rds/clusterInstance:ClusterInstance" {
			vcpus += cost.DBInstanceVCPUs(ci.Str("instanceClass"))
		}
	}
	return cost.RDSProxy{Region: p.region, VCPUs: vcpus}.Components(p.cat), nil
}
