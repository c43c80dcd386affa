package cost

// BackupVault prices an aws:backup/vault:Vault by the recovery points it
// keeps (Aurora snapshots: a full copy plus daily changes for the retention).
type BackupVault struct {
	Region   string
	StoredGB float64
}

// Components prices the vault.
func (b BackupVault) Components(c *Catalog) []Component {
	s := c.Component(b.Region, "recovery points (Aurora snapshots)", "GB-months", "backup:aurora", dec(b.StoredGB))
	s.Driver = "dbStorageGb"
	return []Component{s}
}

// BackupStoredGB is what daily backups kept for retentionDays hold: one full
// copy and each day's changes.
func BackupStoredGB(dataGB float64, retentionDays int, dailyChange float64) float64 {
	return dataGB * (1 + float64(retentionDays-1)*dailyChange)
}
