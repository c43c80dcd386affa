package cost

// AuroraInstance prices an aws:rds/clusterInstance:ClusterInstance: its
// hours and its enhanced monitoring logs.
type AuroraInstance struct {
	Region          string
	Class           string
	MonitoringLogGB float64
}

// Components prices the instance.
func (a AuroraInstance) Components(c *Catalog) []Component {
	out := []Component{hours(c, a.Region, "database instance ("+a.Class+")", AuroraPostgresKey(a.Class), 1)}
	return append(out, databaseExtras(c, a.Region, false, a.MonitoringLogGB)...)
}
