package cost

// DaysPerMonth is the month of HoursPerMonth in days (730 / 24).
const DaysPerMonth = 730.0 / 24

// BackupVault prices an aws:backup/vault:Vault by the Aurora recovery
// points it holds. An Aurora snapshot is always a full copy of the cluster
// volume, never incremental; Aurora stores the snapshots that lie within the
// cluster's automated backup retention for free, and bills each one outside
// it as a full backup. A vault in another region than the cluster has no
// free window. (Aurora User Guide, "Understanding Amazon Aurora backup
// storage usage"; AWS Backup Developer Guide, "Metering, costs, and billing";
// docs/cost-model.md.)
type BackupVault struct {
	Region string
	// VolumeGB is the cluster volume each recovery point copies in full.
	VolumeGB float64
	// RecoveryPoints is how many the vault holds on average (retention days
	// over the days between backups), and FreePoints how many of them lie
	// within the cluster's free retention window (0 for a copy vault).
	RecoveryPoints, FreePoints float64
}

// BilledPoints are the recovery points billed as full backups.
func (b BackupVault) BilledPoints() float64 { return max(b.RecoveryPoints-b.FreePoints, 0) }

// Components prices the vault.
func (b BackupVault) Components(c *Catalog) []Component {
	s := c.Component(b.Region, "recovery points billed as full Aurora snapshots", "GB-months", Key{Service: "backup", Item: "aurora"}, dec(b.BilledPoints()*b.VolumeGB))
	s.Driver = DBStorage
	return []Component{s}
}

// RecoveryPoints is how many recovery points a schedule keeps on average:
// one every everyDays, each kept keepDays (by Little's law, keepDays /
// everyDays; a monthly schedule runs once a month).
func RecoveryPoints(keepDays, everyDays int) float64 {
	if everyDays <= 0 {
		return 0
	}
	if everyDays == 30 {
		return float64(keepDays) / DaysPerMonth
	}
	return float64(keepDays) / float64(everyDays)
}

// CopiesPerMonth is how many backups a schedule every everyDays takes in a
// month of DaysPerMonth days (monthly: one).
func CopiesPerMonth(everyDays int) float64 {
	if everyDays <= 0 {
		return 0
	}
	if everyDays == 30 {
		return 1
	}
	return DaysPerMonth / float64(everyDays)
}

// BackupStoredGB is what a database's continuous backups hold for
// retentionDays: one full copy and each day's changes (Aurora and RDS bill
// what exceeds 100% of the volume).
func BackupStoredGB(dataGB float64, retentionDays int, dailyChange float64) float64 {
	return dataGB * (1 + float64(retentionDays-1)*dailyChange)
}
