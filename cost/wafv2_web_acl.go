package cost

// WebACL prices an aws:wafv2/webAcl:WebAcl: the ACL, its rules (a managed
// rule group counts as one) and the requests it inspects.
type WebACL struct {
	Region           string
	Rules            int64
	RequestsMillions float64
}

// Components prices the web ACL.
func (w WebACL) Components(c *Catalog) []Component {
	req := c.Component(w.Region, "requests inspected", "1M requests", Key{Service: "waf", Item: "requests"}, dec(w.RequestsMillions))
	req.Driver = Requests
	return []Component{
		c.Component(w.Region, "web ACL", "webACL-months", Key{Service: "waf", Item: "webacl"}, dec(1)),
		c.Component(w.Region, "rules", "rule-months", Key{Service: "waf", Item: "rule"}, dec(float64(w.Rules))),
		req,
	}
}
