package cost

// LogGroup prices an aws:cloudwatch/logGroup:LogGroup: the logs ingested and
// the compressed logs its retention keeps.
type LogGroup struct {
	Region   string
	IngestGB float64
	StoredGB float64
	Driver   Driver // the workload quantity the logs follow
	// InfrequentAccess: the group's class is INFREQUENT_ACCESS, ingested at
	// half Standard's price (no metric filters, no Live Tail).
	InfrequentAccess bool
}

// Components prices the group.
func (l LogGroup) Components(c *Catalog) []Component {
	in := c.Component(l.Region, "logs ingested", "GB", Key{Service: "logs", Item: "ingest"}, dec(l.IngestGB))
	if l.InfrequentAccess {
		in = c.Component(l.Region, "logs ingested (Infrequent Access)", "GB", Key{Service: "logs", Item: "ingest", Variant: "infrequent-access"}, dec(l.IngestGB))
	}
	st := c.Component(l.Region, "logs stored (compressed)", "GB-months", Key{Service: "logs", Item: "storage"}, dec(l.StoredGB))
	in.Driver, st.Driver = l.Driver, l.Driver
	return []Component{in, st}
}

// StoredLogGB is the steady-state storage of a log group: a month's
// ingestion kept for the retention, compressed.
func StoredLogGB(ingestPerMonth float64, retentionDays int, compression float64) float64 {
	return ingestPerMonth * float64(retentionDays) / 30.4 * compression
}
