package cost

// NATGateway prices an aws:ec2/natGateway:NatGateway: hours and the data it
// processes (both directions). Its Elastic IP is priced apart (ElasticIP).
type NATGateway struct {
	Region      string
	ProcessedGB float64
}

// Components prices the gateway.
func (n NATGateway) Components(c *Catalog) []Component {
	gb := c.Component(n.Region, "data processed", "GB", Key{Service: "nat", Item: "gb"}, dec(n.ProcessedGB))
	gb.Driver = NATInternet
	return []Component{hours(c, n.Region, "NAT gateway", Key{Service: "nat", Item: "hour"}, 1), gb}
}
