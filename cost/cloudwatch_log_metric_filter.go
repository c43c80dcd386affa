package cost

// LogMetricFilter prices an aws:cloudwatch/logMetricFilter:LogMetricFilter
// by the custom metric it publishes: the filter itself is free, its metric
// is billed as any custom metric (CloudWatch pricing, "Metrics").
type LogMetricFilter struct {
	Region string
}

// Components prices the filter's metric.
func (m LogMetricFilter) Components(c *Catalog) []Component {
	return []Component{c.Component(m.Region, "custom metric it publishes", "metric-months", Key{Service: "cloudwatch", Item: "metric"}, dec(1))}
}
