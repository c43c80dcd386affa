package cost

// GuardDutyFeature prices an enabled optional GuardDuty protection plan by
// its billing dimension; a feature tenancy has no price for is reported as
// "price not found" (key guardduty:feature:NAME), never as $0.
type GuardDutyFeature struct {
	Region string
	Name   string
	// VCPUs are the provisioned database vCPUs RDS_LOGIN_EVENTS monitors.
	VCPUs float64
}

// Components prices the feature.
func (g GuardDutyFeature) Components(c *Catalog) []Component {
	if g.Name == "RDS_LOGIN_EVENTS" {
		return []Component{c.Component(g.Region, "RDS login activity monitored (database vCPUs)", "vCPU-months", Key{Service: "guardduty", Item: "rds-vcpu"}, dec(g.VCPUs))}
	}
	return []Component{c.Component(g.Region, "GuardDuty "+g.Name, "months", Key{Service: "guardduty", Item: "feature", Variant: g.Name}, dec(1))}
}
