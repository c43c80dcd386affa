package cost

// ConfigRecorder prices an aws:cfg/recorder:Recorder: the configuration
// items it records (one each time a recorded resource is created or
// changes) and the rule evaluations Security Hub's controls run on them,
// which AWS Config bills.
type ConfigRecorder struct {
	Region          string
	Items           float64 // configuration items recorded a month
	RuleEvaluations float64 // a month
}

// Components prices the recorder.
func (r ConfigRecorder) Components(c *Catalog) []Component {
	return usage(
		c.Component(r.Region, "configuration items recorded", "items", Key{Service: "config", Item: "item"}, dec(r.Items)),
		c.Component(r.Region, "rule evaluations (Security Hub controls)", "evaluations", Key{Service: "config", Item: "rule-evaluation"}, dec(r.RuleEvaluations)),
	)
}
