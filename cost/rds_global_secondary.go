package cost

// AuroraGlobalSecondary prices the headless secondary cluster of an Aurora
// Global Database (an aws:rds/cluster:Cluster joined to a global cluster in
// another region): its own copy of the storage, the write I/Os replicated
// to it, and its continuous backups beyond the free allowance. It has no
// instances, so no instance hours.
type AuroraGlobalSecondary struct {
	Region                    string
	StorageGB                 float64
	ReplicatedWriteIOMillions float64
	BackupGB                  float64
}

// Components prices the secondary.
func (a AuroraGlobalSecondary) Components(c *Catalog) []Component {
	storage := c.Component(a.Region, "storage of the secondary (Aurora Standard)", "GB-months", Key{Service: "aurora", Item: "storage"}, dec(a.StorageGB))
	storage.Driver = DBStorage
	writes := c.Component(a.Region, "replicated write I/Os", "1M requests", Key{Service: "aurora", Item: "replicated-write-io"}, dec(a.ReplicatedWriteIOMillions))
	writes.Driver = DBIO
	storage.Line, writes.Line = Backup, Backup // it exists for disaster recovery
	return []Component{storage, writes, backupBeyondFree(c, a.Region, Key{Service: "aurora", Item: "backup"}, a.BackupGB, a.StorageGB)}
}
