package cost

// BackupPlan prices an aws:backup/plan:Plan by the copies it sends to another
// region (inter-region data transfer).
type BackupPlan struct {
	Region   string
	CopiedGB float64
}

// Components prices the plan.
func (b BackupPlan) Components(c *Catalog) []Component {
	t := c.Component(b.Region, "copies to the disaster-recovery region", "GB", "datatransfer:inter-region", dec(b.CopiedGB))
	t.Driver = "dbStorageGb"
	return []Component{t}
}
