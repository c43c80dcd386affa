package cost

// MetricAlarm prices an aws:cloudwatch/metricAlarm:MetricAlarm
// (standard resolution, one metric).
type MetricAlarm struct {
	Region string
}

// Components prices the alarm.
func (m MetricAlarm) Components(c *Catalog) []Component {
	return []Component{c.Component(m.Region, "standard alarm", "alarm-months", Key{Service: "cloudwatch", Item: "alarm"}, dec(1))}
}
