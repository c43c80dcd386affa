package cost

// ElasticIP prices an aws:ec2/eip:Eip: a public IPv4 address, charged every
// hour whether in use or idle since 2024-02-01. tenancy's only EIPs are the
// NAT gateways', so their line is NAT.
type ElasticIP struct {
	Region string
}

// Components prices the address.
func (e ElasticIP) Components(c *Catalog) []Component {
	return []Component{hours(c, e.Region, "public IPv4 address", PublicIPv4Key, 1)}
}
