package cost

import (
	"strings"

	"github.com/shopspring/decimal"
)

// RDSProxy prices an aws:rds/proxy:Proxy: per vCPU of the database instances
// behind it, every hour.
type RDSProxy struct {
	Region string
	VCPUs  int64
}

// Components prices the proxy.
func (p RDSProxy) Components(c *Catalog) []Component {
	return []Component{c.Component(p.Region, "vCPUs of the instances behind the proxy", "vCPU-hours", Key{Service: "rdsproxy", Item: "vcpu"},
		HoursPerMonth.Mul(decimal.NewFromInt(p.VCPUs)))}
}

// DBInstanceVCPUs is the vCPU count of an RDS/Aurora instance class, from its
// size, or 0 when the size is unknown.
func DBInstanceVCPUs(class string) int64 {
	size := class[strings.LastIndex(class, ".")+1:]
	switch size {
	case "micro", "small", "medium", "large":
		return 2
	case "xlarge":
		return 4
	}
	var n int64
	for _, r := range strings.TrimSuffix(size, "xlarge") {
		if r < '0' || r > '9' {
			return 0
		}
		n = n*10 + int64(r-'0')
	}
	return n * 4
}
