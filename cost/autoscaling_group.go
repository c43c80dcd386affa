package cost

// AutoScalingGroup prices an aws:autoscaling/group:Group by the instances
// its launch template starts (priced at the desired capacity) and their root
// volumes. The launch template itself is free.
type AutoScalingGroup struct {
	Region        string
	InstanceType  string
	Instances     int64
	RootVolumeGB  float64
	VolumeType    string
	CustomMetrics float64
}

// Components prices the group.
func (a AutoScalingGroup) Components(c *Catalog) []Component {
	return appServers(c, a.Region, a.InstanceType, a.Instances, a.RootVolumeGB, a.VolumeType, a.CustomMetrics)
}
