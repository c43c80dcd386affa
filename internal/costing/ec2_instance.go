package costing

import (
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// appTier is what an app server or an Auto Scaling group reads from its
// launch template: the instance type and the root volume.
type appTier struct {
	instanceType, volumeType string
	rootGB                   float64
}

func (p *pricer) appTierOf(n graph.Node) appTier {
	t := appTier{instanceType: n.Str("instanceType"), volumeType: "gp3", rootGB: 8} // the AMI's default root volume when no template says otherwise
	lt, ok := p.g.Sibling(n, "aws:ec2/launchTemplate:LaunchTemplate")
	if !ok {
		return t
	}
	t.rootGB = graph.AsNum(graph.Path(lt.Inputs, "blockDeviceMappings", 0, "ebs", "volumeSize"), t.rootGB)
	if v, _ := graph.Path(lt.Inputs, "blockDeviceMappings", 0, "ebs", "volumeType").(string); v != "" {
		t.volumeType = v
	}
	if t.instanceType == "" {
		t.instanceType = lt.Str("instanceType")
	}
	return t
}

// ec2Instance prices a dedicated tenant's app server.
func (p *pricer) ec2Instance(n graph.Node, served []string) ([]cost.Component, error) {
	t := p.appTierOf(n)
	metrics := p.sum(served, func(x stacks.Workload) float64 { return x.CustomMetrics })
	comps := cost.EC2Instance{Region: p.region, InstanceType: t.instanceType, RootVolumeGB: t.rootGB, VolumeType: t.volumeType,
		CustomMetrics: metrics}.Components(p.cat)
	comps = p.committed(comps, t.instanceType, 1) // a dedicated server is always on
	return p.appTierTraffic(n, served, comps, metrics), nil
}

// appTierTraffic adds what an app tier's traffic costs beside its hours: the
// custom metrics' PutMetricData calls and the traffic it sends across AZs.
func (p *pricer) appTierTraffic(n graph.Node, served []string, comps []cost.Component, metrics float64) []cost.Component {
	pl := p.platform
	if metrics > 0 && pl.MetricPublishSeconds > 0 && pl.MetricsPerPutRequest > 0 {
		calls := metrics * cost.DaysPerMonth * 24 * 3600 / pl.MetricPublishSeconds / pl.MetricsPerPutRequest
		comps = append(comps, cost.MetricRequests{Region: p.region, Requests: calls}.Components(p.cat)...)
	}
	return append(comps, p.interAZ(n, served)...)
}
