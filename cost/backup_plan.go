package cost

import "fmt"

// BackupTagKey marks what a backup vault holds: BackupTagHome (recovery
// points in the cluster's region) or BackupTagCopy (copies in the
// disaster-recovery region). The program sets it; the cost model prices a
// vault by it, since a copy vault gets no free window.
const (
	BackupTagKey  = "tenancy:backup"
	BackupTagHome = "home"
	BackupTagCopy = "dr-copy"
	// BackupTagDatabases marks the vault and plan of the dedicated
	// databases' AWS Backup recovery points (RDS snapshots, which each
	// database's line prices).
	BackupTagDatabases = "databases"
	// DatabaseBackupTag on a database names the AWS Backup selection that
	// takes its snapshots (tenancy-<stack>-databases).
	DatabaseBackupTag = "tenancy:backup-plan"
)

// CopySchedule is the AWS Backup cron expression for a backup every
// everyDays (1: daily, 7: weekly on Sunday, 30: monthly on the 1st), at
// 05:00 UTC, after the cluster's 03:00-04:00 backup window.
func CopySchedule(everyDays int) (string, error) {
	switch everyDays {
	case 1:
		return "cron(0 5 * * ? *)", nil
	case 7:
		return "cron(0 5 ? * SUN *)", nil
	case 30:
		return "cron(0 5 1 * ? *)", nil
	}
	return "", fmt.Errorf("a backup every %d days has no AWS Backup schedule; use 1, 7 or 30", everyDays)
}

// BackupPlan prices an aws:backup/plan:Plan by the copies it sends to
// another region. "Aurora DB cluster snapshot copies are always full
// copies", and copying one out of its region is billed as inter-region data
// transfer (Aurora User Guide, "Copying a DB cluster snapshot"): every copy
// transfers the whole volume.
type BackupPlan struct {
	Region         string
	VolumeGB       float64
	CopiesPerMonth float64
}

// Components prices the plan.
func (b BackupPlan) Components(c *Catalog) []Component {
	t := c.Component(b.Region, "full snapshot copies to the disaster-recovery region", "GB", Key{Service: "datatransfer", Item: "inter-region"}, dec(b.VolumeGB*b.CopiesPerMonth))
	t.Driver = DBStorage
	return []Component{t}
}
