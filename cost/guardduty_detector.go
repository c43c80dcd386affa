package cost

// GuardDuty prices an aws:guardduty/detector:Detector by what it analyses:
// CloudTrail management events and VPC flow and DNS logs.
type GuardDuty struct {
	Region                   string
	CloudTrailEventsMillions float64
	FlowLogGB                float64
}

// Components prices the detector.
func (g GuardDuty) Components(c *Catalog) []Component {
	return usage(
		c.Component(g.Region, "CloudTrail management events analysed", "1M events", Key{Service: "guardduty", Item: "cloudtrail"}, dec(g.CloudTrailEventsMillions)),
		c.Component(g.Region, "VPC flow and DNS logs analysed", "GB", Key{Service: "guardduty", Item: "flowlogs"}, dec(g.FlowLogGB)),
	)
}
