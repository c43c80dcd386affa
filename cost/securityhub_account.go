package cost

// SecurityHub prices an aws:securityhub/account:Account by its control checks.
type SecurityHub struct {
	Region string
	Checks float64
}

// Components prices Security Hub.
func (s SecurityHub) Components(c *Catalog) []Component {
	return usage(c.Component(s.Region, "security checks", "checks", Key{Service: "securityhub", Item: "check"}, dec(s.Checks)))
}
