package cost

import "github.com/shopspring/decimal"

// ApplicationLoadBalancer prices an aws:lb/loadBalancer:LoadBalancer: hours,
// LCU-hours from the traffic of the tenants it serves, its public IPv4
// addresses (one per AZ), and the data it sends to the internet.
type ApplicationLoadBalancer struct {
	Region      string
	LCUHours    float64
	PublicIPv4s int64
	// Egress is the internet data transfer leaving through this ALB, priced
	// at the account's blended tiered rate (see InternetEgress).
	EgressGB   float64
	EgressRate *Price
}

// Components prices the load balancer.
func (a ApplicationLoadBalancer) Components(c *Catalog) []Component {
	lcu := c.Component(a.Region, "load balancer capacity units", "LCU-hours", Key{Service: "alb", Item: "lcu"}, dec(a.LCUHours))
	lcu.Driver = DataOut
	ipv4 := c.Component(a.Region, "public IPv4 addresses", "hours", PublicIPv4Key, HoursPerMonth.Mul(decimal.NewFromInt(a.PublicIPv4s)))
	egress := Component{Name: "data transfer out to the internet", Unit: "GB", Quantity: dec(a.EgressGB), Price: a.EgressRate,
		PriceKey: BlendedEgressKey, Region: a.Region, Line: DataTransfer, Driver: DataOut}
	return []Component{hours(c, a.Region, "application load balancer", Key{Service: "alb", Item: "hour"}, 1), lcu, ipv4, egress}
}
