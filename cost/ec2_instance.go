package cost

import "github.com/shopspring/decimal"

// EC2Instance prices an aws:ec2/instance:Instance: its hours and root volume,
// and the custom metrics its application publishes.
type EC2Instance struct {
	Region        string
	InstanceType  string
	RootVolumeGB  float64
	VolumeType    string // gp3 or gp2
	CustomMetrics float64
}

// Components prices the instance.
func (e EC2Instance) Components(c *Catalog) []Component {
	return appServers(c, e.Region, e.InstanceType, 1, e.RootVolumeGB, e.VolumeType, e.CustomMetrics)
}

// appServers prices n app servers of one type and their root volumes.
func appServers(c *Catalog, region, instanceType string, n int64, rootGB float64, volumeType string, metrics float64) []Component {
	if volumeType == "" {
		volumeType = "gp3"
	}
	out := []Component{
		hours(c, region, "instance usage (Linux, on-demand, "+instanceType+")", EC2InstanceKey(instanceType), n),
		c.Component(region, "root volume ("+volumeType+")", "GB-months", Key{Service: "ebs", Item: volumeType}, dec(rootGB).Mul(decimal.NewFromInt(n))),
	}
	if metrics > 0 {
		m := c.Component(region, "custom metrics (SaaS/Tenant)", "metric-months", Key{Service: "cloudwatch", Item: "metric"}, dec(metrics))
		m.Line, m.Driver = Monitoring, CustomMetrics
		out = append(out, m)
	}
	return out
}
