package costing

import (
	"strings"

	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// logGroup prices a log group by what it holds, which its name says.
func (p *pricer) logGroup(n graph.Node, served []string) ([]cost.Component, error) {
	pl := p.platform
	retention, ok := n.Num("retentionInDays")
	if !ok || retention == 0 {
		retention = 365 * 10 // "never expire": price ten years kept
	}
	name := n.Str("name")
	var ingest float64
	driver := cost.AppLogs
	switch {
	case name == stacks.AuditLogGroupName:
		ingest, driver = p.sum(served, func(x stacks.Workload) float64 { return x.AuditLogGB }), cost.AuditLogs
	case name == stacks.AppLogGroupName:
		ingest = p.sum(served, func(x stacks.Workload) float64 { return x.AppLogGB }) + pl.AppInstanceLogGB*p.appServers(n)
	case strings.HasPrefix(name, stacks.TenantLogGroupPrefix):
		ingest = p.sum(served, func(x stacks.Workload) float64 { return x.AppLogGB + x.AuditLogGB }) + pl.AppInstanceLogGB*p.appServers(n)
	case strings.HasPrefix(name, "/aws/rds/"):
		// PostgreSQL logs RDS exports: per instance writing them (a cluster's
		// group takes its instances' logs; a headless secondary has none), and
		// per request they serve.
		instances := 1.0
		if strings.HasPrefix(name, "/aws/rds/cluster/") {
			instances = 0
			for _, ci := range p.g.OfType("aws:rds/clusterInstance:ClusterInstance") {
				if p.regionOf(ci) == p.regionOf(n) {
					instances++
				}
			}
		}
		if instances > 0 {
			ingest = instances*pl.DBLogGBPerInstance + p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions })*pl.DBLogGBPerMillionRequests
		}
		driver = cost.Requests
	case strings.HasPrefix(name, "/aws/cloudtrail/"):
		// The trail's management events, every region's.
		ingest, driver = pl.CloudTrailEventsMillions*1e6*pl.CloudTrailEventKB/1e6, cost.Requests
	case strings.HasPrefix(name, "aws-waf-logs-"):
		// A web ACL logs the requests it blocks, and only those.
		ingest = p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions }) * 1e6 * pl.WAFBlockedShare * pl.WAFLogKBPerRequest / 1e6
		driver = cost.Requests
	default: // a VPC's flow logs
		ingest, driver = p.flowLogGB(served), cost.Requests
	}
	return cost.LogGroup{Region: p.regionOf(n), IngestGB: ingest, StoredGB: cost.StoredLogGB(ingest, int(retention), pl.LogStorageCompression),
		Driver: driver, InfrequentAccess: n.Str("logGroupClass") == "INFREQUENT_ACCESS"}.Components(p.cat), nil
}
