package cost

import "github.com/shopspring/decimal"

// AuroraInstance prices an aws:rds/clusterInstance:ClusterInstance: its
// hours and its enhanced monitoring logs.
type AuroraInstance struct {
	Region          string
	Class           string
	MonitoringLogGB float64
	IOOptimized     bool // in an I/O-Optimized cluster
}

// AuroraIOOptimizedFactor is what an instance of an I/O-Optimized cluster
// costs against the same class's on-demand price: "Aurora I/O-Optimized
// instances: on-demand x 1.30" (shared/reference/aws-prices-us-east-1.md).
var AuroraIOOptimizedFactor = decimal.RequireFromString("1.30")

// Components prices the instance.
func (a AuroraInstance) Components(c *Catalog) []Component {
	h := hours(c, a.Region, "database instance ("+a.Class+")", AuroraPostgresKey(a.Class), 1)
	if a.IOOptimized {
		h.Name = "database instance (" + a.Class + ", I/O-Optimized)"
		if h.Price != nil {
			p := *h.Price
			p.USD = p.USD.Mul(AuroraIOOptimizedFactor)
			p.Description += " x 1.30, I/O-Optimized"
			p.Source += "; x 1.30 for I/O-Optimized (shared/reference/aws-prices-us-east-1.md)"
			h.Price = &p
		}
	}
	out := []Component{h}
	return append(out, databaseExtras(c, a.Region, false, a.MonitoringLogGB)...)
}
