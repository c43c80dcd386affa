package cost

// AuroraCluster prices an aws:rds/cluster:Cluster (Aurora Standard): the
// storage and I/O of every tenant's data on it, backup storage beyond the
// free allowance, and its master secret. Instances are priced apart.
type AuroraCluster struct {
	Region        string
	StorageGB     float64
	IOMillions    float64
	BackupGB      float64
	ManagedSecret bool
	// IOOptimized: Aurora I/O-Optimized (storage type aurora-iopt1):
	// dearer storage and instances, no charge per I/O.
	IOOptimized bool
}

// Components prices the cluster.
func (a AuroraCluster) Components(c *Catalog) []Component {
	if a.IOOptimized {
		storage := c.Component(a.Region, "storage (Aurora I/O-Optimized, no I/O charge)", "GB-months", Key{Service: "aurora", Item: "storage", Variant: "io-optimized"}, dec(a.StorageGB))
		storage.Driver = DBStorage
		out := []Component{storage, backupBeyondFree(c, a.Region, Key{Service: "aurora", Item: "backup"}, a.BackupGB, a.StorageGB)}
		return append(out, databaseExtras(c, a.Region, a.ManagedSecret, 0)...)
	}
	storage := c.Component(a.Region, "storage (Aurora Standard)", "GB-months", Key{Service: "aurora", Item: "storage"}, dec(a.StorageGB))
	storage.Driver = DBStorage
	io := c.Component(a.Region, "I/O requests", "1M requests", Key{Service: "aurora", Item: "io"}, dec(a.IOMillions))
	io.Driver = DBIO
	out := []Component{storage, io, backupBeyondFree(c, a.Region, Key{Service: "aurora", Item: "backup"}, a.BackupGB, a.StorageGB)}
	return append(out, databaseExtras(c, a.Region, a.ManagedSecret, 0)...)
}
