package cost

// RDSInstance prices an aws:rds/instance:Instance (PostgreSQL): instance
// hours (doubled by AWS for Multi-AZ), storage, backup storage beyond the
// free allowance (100% of storage; AWS Backup's snapshots count towards it
// with the automated backups), its RDS-managed master secret and its
// enhanced monitoring logs.
type RDSInstance struct {
	Region      string
	Class       string
	MultiAZ     bool
	StorageGB   float64
	StorageType string
	BackupGB    float64 // backup storage the retention keeps
	// SnapshotGB is what AWS Backup keeps of it (incremental snapshots),
	// which shares the free allowance with the automated backups.
	SnapshotGB      float64
	ManagedSecret   bool
	MonitoringLogGB float64
}

// Components prices the instance.
func (r RDSInstance) Components(c *Catalog) []Component {
	az := "single-az"
	if r.MultiAZ {
		az = "multi-az"
	}
	st := r.StorageType
	if st == "" {
		st = "gp3"
	}
	out := []Component{
		hours(c, r.Region, "database instance ("+r.Class+", "+az+")", RDSPostgresKey(r.Class, r.MultiAZ), 1),
		c.Component(r.Region, "storage ("+st+", "+az+")", "GB-months", Key{Service: "rds", Item: "storage", Variant: st, Option: az}, dec(r.StorageGB)),
	}
	out = append(out, backupBeyondFree(c, r.Region, Key{Service: "rds", Item: "backup"}, r.BackupGB, r.StorageGB))
	if r.SnapshotGB > 0 {
		// What the snapshots add beyond the allowance the automated backups
		// leave: the allowance is shared.
		left := max(r.StorageGB-r.BackupGB, 0)
		s := c.Component(r.Region, "AWS Backup snapshots beyond the free allowance", "GB-months", Key{Service: "rds", Item: "backup"}, dec(max(r.SnapshotGB-left, 0)))
		s.Line, s.Driver = Backup, DBStorage
		out = append(out, s)
	}
	out = append(out, databaseExtras(c, r.Region, r.ManagedSecret, r.MonitoringLogGB)...)
	return out
}

// backupBeyondFree is backup storage beyond the free allowance of 100% of the
// database's storage; usually zero, shown so the reader sees why.
func backupBeyondFree(c *Catalog, region string, key Key, backupGB, freeGB float64) Component {
	billed := backupGB - freeGB
	if billed < 0 {
		billed = 0
	}
	comp := c.Component(region, "backup storage beyond the free allowance", "GB-months", key, dec(billed))
	comp.Line, comp.Driver = Backup, DBStorage
	return comp
}

// databaseExtras are the master secret RDS keeps in Secrets Manager and the
// enhanced monitoring logs it writes to CloudWatch Logs.
func databaseExtras(c *Catalog, region string, secret bool, monitoringGB float64) []Component {
	var out []Component
	if secret {
		s := c.Component(region, "master user secret (Secrets Manager)", "secret-months", Key{Service: "secretsmanager", Item: "secret"}, dec(1))
		s.Line = Security
		out = append(out, s)
	}
	if monitoringGB > 0 {
		m := c.Component(region, "enhanced monitoring logs (RDSOSMetrics)", "GB", Key{Service: "logs", Item: "ingest"}, dec(monitoringGB))
		m.Line, m.Usage = Monitoring, true
		out = append(out, m)
	}
	return out
}
