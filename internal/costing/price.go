// Package costing maps the resource graph onto the cost package's pricing
// structs: the thin adapter between Pulumi's type tokens and inputs and the
// prices. It also maps each tenant's workload onto the resources that carry
// it in the graph's topology.
package costing

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Estimate is one topology's monthly cost, resource by resource.
type Estimate struct {
	Label     string // "before" or "after"
	Stack     string
	Region    string
	Topology  string
	Resources []cost.Resource // cloud resources, sorted by name
	// Unpriced lists types that are neither priced nor known to be free: a
	// defect in this package, reported rather than priced as zero.
	Unpriced []string
	Tenants  []TenantCost
	// BudgetUSD is the stack's monthly budget (0: none).
	BudgetUSD int
}

// TenantCost is what one tenant costs in a topology.
type TenantCost struct {
	ID        string
	Tier      stacks.Tier
	Placement stacks.Placement
	Monthly   decimal.Decimal
	// Sizing describes a dedicated tenant's stack ("t3.medium, db.t3.small
	// 250 GB, cache.t3.micro"), so a diff can say it was resized.
	Sizing string
}

// pricer builds the components of one node.
type pricer struct {
	g        *graph.Graph
	cfg      *stacks.Config
	cat      *cost.Catalog
	region   string
	workload map[string]stacks.Workload // by tenant id
	shared   []string                   // shared tenant ids in the graph
	isShared map[string]bool            // the same, as a set
	all      []string                   // every tenant id in the graph
	egress   *cost.Price                // blended internet egress rate
	platform stacks.PlatformUsage
	// cloudResources counts the plan's cloud resources: what AWS Config records.
	cloudResources int
}

// lineOf is the line item of each priced type.
var lineOf = map[string]cost.Line{
	"aws:ec2/instance:Instance":                         cost.Compute,
	"aws:autoscaling/group:Group":                       cost.Compute,
	"aws:rds/instance:Instance":                         cost.Database,
	"aws:rds/cluster:Cluster":                           cost.Database,
	"aws:rds/clusterInstance:ClusterInstance":           cost.Database,
	"aws:rds/proxy:Proxy":                               cost.Database,
	"aws:elasticache/replicationGroup:ReplicationGroup": cost.Cache,
	"aws:lb/loadBalancer:LoadBalancer":                  cost.LoadBalancers,
	"aws:ec2/natGateway:NatGateway":                     cost.NAT,
	"aws:ec2/eip:Eip":                                   cost.NAT,
	"aws:cloudwatch/logGroup:LogGroup":                  cost.Monitoring,
	"aws:cloudwatch/metricAlarm:MetricAlarm":            cost.Monitoring,
	"aws:cloudwatch/logMetricFilter:LogMetricFilter":    cost.Monitoring,
	"aws:s3/bucketV2:BucketV2":                          cost.Monitoring,
	"aws:kms/key:Key":                                   cost.Security,
	"aws:wafv2/webAcl:WebAcl":                           cost.Security,
	"aws:guardduty/detector:Detector":                   cost.Security,
	"aws:securityhub/account:Account":                   cost.Security,
	"aws:cfg/recorder:Recorder":                         cost.Security,
	"aws:secretsmanager/secret:Secret":                  cost.Security,
	"aws:guardduty/detectorFeature:DetectorFeature":     cost.Security,
	"aws:backup/vault:Vault":                            cost.Backup,
	"aws:backup/plan:Plan":                              cost.Backup,
}

// freeByInputs says why a resource of a priced type costs nothing, when its
// inputs make it so.
func freeByInputs(n graph.Node) (string, bool) {
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	switch {
	case n.Type == "aws:guardduty/detectorFeature:DetectorFeature" && n.Str("status") == "DISABLED":
		return "a disabled GuardDuty feature is not billed", true
	case n.Type == "aws:backup/vault:Vault" && tagsIn[cost.BackupTagKey] == cost.BackupTagDatabases:
		return "holds the dedicated databases' AWS Backup snapshots, which each database's backup storage line prices", true
	case n.Type == "aws:backup/plan:Plan" && graph.Path(n.Inputs, "rules", 0, "copyActions", 0) == nil:
		return "copies nothing out of the region; its vault carries the storage", true
	}
	return "", false
}

// PricedTypes lists the types the adapter prices.
func PricedTypes() []string {
	out := make([]string, 0, len(lineOf))
	for t := range lineOf {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Price prices every cloud resource of g with the workload of cfg's tenants.
func Price(label string, g *graph.Graph, cfg *stacks.Config, cat *cost.Catalog) (*Estimate, error) {
	if cfg.Usage == nil {
		return nil, fmt.Errorf("costing: the stack config has no usage profiles")
	}
	p := &pricer{g: g, cfg: cfg, cat: cat, region: cfg.Region, workload: map[string]stacks.Workload{}, platform: cfg.Usage.Platform}
	for _, t := range cfg.Tenants {
		p.workload[t.ID] = t.Workload
	}
	p.shared = g.SharedTenantIDs()
	p.isShared = make(map[string]bool, len(p.shared))
	for _, id := range p.shared {
		p.isShared[id] = true
	}
	p.all = append(append([]string{}, g.DedicatedTenantIDs()...), p.shared...)
	for _, id := range p.all {
		if _, ok := p.workload[id]; !ok {
			return nil, fmt.Errorf("costing: tenant %s is in the plan but not in %s; price the plan with the registry it was built from", id, cfg.RegistryFile)
		}
	}
	var egress float64
	for _, n := range g.OfType("aws:lb/loadBalancer:LoadBalancer") {
		egress += p.sum(p.served(n), func(w stacks.Workload) float64 { return w.DataOutGB })
	}
	p.egress = cost.InternetEgress{Region: p.region, TotalGB: egress}.BlendedRate(cat)

	for _, n := range g.Nodes {
		if n.Cloud() {
			p.cloudResources++
		}
	}
	est := &Estimate{Label: label, Stack: cfg.Stack, Region: cfg.Region, Topology: string(cfg.Topology), BudgetUSD: cfg.MonthlyBudgetUSD}
	unpriced := map[string]bool{}
	for _, n := range g.Nodes {
		if !n.Cloud() {
			continue
		}
		dedicated, inShared := g.TenantOf(n)
		r := cost.Resource{Name: n.URN, Type: n.Type, Line: lineOf[n.Type], Tenant: dedicated, Shared: inShared}
		if reason, free := cost.FreeTypes[n.Type]; free {
			r.FreeReason = reason
		} else if reason, free := freeByInputs(n); free {
			r.FreeReason = reason
		} else if _, priced := lineOf[n.Type]; priced {
			comps, err := p.components(n)
			if err != nil {
				return nil, fmt.Errorf("costing: %s: %w", n.URN, err)
			}
			r.Components = comps
		} else {
			unpriced[n.Type] = true
			continue
		}
		est.Resources = append(est.Resources, r)
	}
	for t := range unpriced {
		est.Unpriced = append(est.Unpriced, t)
	}
	sort.Strings(est.Unpriced)
	est.Tenants = p.allocate(est.Resources)
	return est, nil
}

// served are the tenants whose workload a node carries: its dedicated tenant,
// the shared tenants for the shared tier, every tenant for stack-wide resources.
func (p *pricer) served(n graph.Node) []string {
	if d, shared := p.g.TenantOf(n); d != "" {
		if p.isShared[d] {
			return nil // a stack kept while its tenant migrates: it idles, the shared tier serves the tenant
		}
		return []string{d}
	} else if shared {
		return p.shared
	}
	return p.all
}

func (p *pricer) sum(ids []string, f func(stacks.Workload) float64) float64 {
	total := 0.0
	for _, id := range ids {
		total += f(p.workload[id])
	}
	return total
}

// appServers counts the app servers under the component that owns n (its
// tenant stack or the shared tier): the ASG's desired size or the instances.
func (p *pricer) appServers(n graph.Node) float64 {
	owner, ok := p.g.Ancestor(n, graph.TypeDedicatedTenant)
	if !ok {
		if owner, ok = p.g.Ancestor(n, graph.TypeSharedTier); !ok {
			return 0
		}
	}
	count := 0.0
	for _, d := range p.g.Descendants(owner.URN) {
		switch d.Type {
		case "aws:ec2/instance:Instance":
			count++
		case "aws:autoscaling/group:Group":
			v, _ := d.Num("desiredCapacity")
			count += v
		}
	}
	return count
}

func (p *pricer) components(n graph.Node) ([]cost.Component, error) {
	c, region, pl := p.cat, p.region, p.platform
	served := p.served(n)
	w := func(f func(stacks.Workload) float64) float64 { return p.sum(served, f) }
	switch n.Type {
	case "aws:ec2/instance:Instance", "aws:autoscaling/group:Group":
		lt, ok := p.g.Sibling(n, "aws:ec2/launchTemplate:LaunchTemplate")
		root := 8.0 // the AMI's default root volume when no template says otherwise
		volType := "gp3"
		instanceType := n.Str("instanceType")
		if ok {
			root = graph.AsNum(graph.Path(lt.Inputs, "blockDeviceMappings", 0, "ebs", "volumeSize"), root)
			if v, _ := graph.Path(lt.Inputs, "blockDeviceMappings", 0, "ebs", "volumeType").(string); v != "" {
				volType = v
			}
			if instanceType == "" {
				instanceType = lt.Str("instanceType")
			}
		}
		metrics := w(func(x stacks.Workload) float64 { return x.CustomMetrics })
		var comps []cost.Component
		if n.Type == "aws:ec2/instance:Instance" {
			comps = cost.EC2Instance{Region: region, InstanceType: instanceType, RootVolumeGB: root, VolumeType: volType, CustomMetrics: metrics}.Components(c)
		} else {
			desired, ok := n.Num("desiredCapacity")
			if !ok {
				desired, _ = n.Num("minSize")
			}
			comps = cost.AutoScalingGroup{Region: region, InstanceType: instanceType, Instances: int64(desired), RootVolumeGB: root,
				VolumeType: volType, CustomMetrics: metrics}.Components(c)
		}
		if metrics > 0 && pl.MetricPublishSeconds > 0 && pl.MetricsPerPutRequest > 0 {
			calls := metrics * cost.DaysPerMonth * 24 * 3600 / pl.MetricPublishSeconds / pl.MetricsPerPutRequest
			comps = append(comps, cost.MetricRequests{Region: region, Requests: calls}.Components(c)...)
		}
		return append(comps, p.interAZ(n, served)...), nil
	case "aws:rds/instance:Instance":
		storage, _ := n.Num("allocatedStorage")
		retention, _ := n.Num("backupRetentionPeriod")
		data := w(func(x stacks.Workload) float64 { return x.DBStorageGB })
		backupGB := cost.BackupStoredGB(data, int(retention), pl.BackupDailyChangeRate)
		snapshots, err := p.awsBackupSnapshotsGB(n, data)
		if err != nil {
			return nil, err
		}
		return cost.RDSInstance{Region: region, Class: n.Str("instanceClass"), MultiAZ: n.Bool("multiAz"), StorageGB: storage,
			StorageType: n.Str("storageType"), BackupGB: backupGB, SnapshotGB: snapshots,
			ManagedSecret: n.Bool("manageMasterUserPassword"), MonitoringLogGB: monitoring(n, pl)}.Components(c), nil
	case "aws:rds/cluster:Cluster":
		retention, _ := n.Num("backupRetentionPeriod")
		data := w(func(x stacks.Workload) float64 { return x.DBStorageGB })
		if n.Str("globalClusterIdentifier") != "" {
			return cost.AuroraGlobalSecondary{Region: p.regionOf(n), StorageGB: data,
				ReplicatedWriteIOMillions: w(func(x stacks.Workload) float64 { return x.DBIOMillions }) * pl.DBWriteIOShare,
				BackupGB:                  cost.BackupStoredGB(data, int(retention), pl.BackupDailyChangeRate)}.Components(c), nil
		}
		return cost.AuroraCluster{Region: region, StorageGB: data, IOMillions: w(func(x stacks.Workload) float64 { return x.DBIOMillions }),
			BackupGB:      cost.BackupStoredGB(data, int(retention), pl.BackupDailyChangeRate),
			ManagedSecret: n.Bool("manageMasterUserPassword")}.Components(c), nil
	case "aws:rds/clusterInstance:ClusterInstance":
		return cost.AuroraInstance{Region: region, Class: n.Str("instanceClass"), MonitoringLogGB: monitoring(n, pl)}.Components(c), nil
	case "aws:rds/proxy:Proxy":
		var vcpus int64
		for _, ci := range p.g.Children(n.Parent) {
			if ci.Type == "aws:rds/clusterInstance:ClusterInstance" {
				vcpus += cost.DBInstanceVCPUs(ci.Str("instanceClass"))
			}
		}
		return cost.RDSProxy{Region: region, VCPUs: vcpus}.Components(c), nil
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		nodes, _ := n.Num("numCacheClusters")
		keep, _ := n.Num("snapshotRetentionLimit")
		memory := w(func(x stacks.Workload) float64 { return x.CacheMemoryGB })
		return cost.ReplicationGroup{Region: region, NodeType: n.Str("nodeType"), Nodes: int64(nodes),
			SnapshotGB: memory * max(keep-1, 0)}.Components(c), nil
	case "aws:lb/loadBalancer:LoadBalancer":
		processed := w(func(x stacks.Workload) float64 { return x.DataOutGB + x.DataInGB })
		// An LCU is 1 GB an hour or 25 new connections a second, whichever is more.
		conns := w(func(x stacks.Workload) float64 { return x.RequestsMillions * 1e6 * pl.NewConnectionsPerRequest }) / (25 * 3600)
		ips := int64(2) // an ALB spans at least two AZs; used when the subnets are not known yet
		if subnets, ok := n.List("subnets"); ok && len(subnets) > 0 {
			ips = int64(len(subnets))
		}
		return cost.ApplicationLoadBalancer{Region: region, LCUHours: max(processed, conns), PublicIPv4s: ips,
			EgressGB: w(func(x stacks.Workload) float64 { return x.DataOutGB }), EgressRate: p.egress}.Components(c), nil
	case "aws:ec2/natGateway:NatGateway":
		nats := 0
		for _, s := range p.g.Children(n.Parent) {
			if s.Type == n.Type {
				nats++
			}
		}
		processed := p.natTraffic(n, served)
		return cost.NATGateway{Region: region, ProcessedGB: processed / float64(max(nats, 1))}.Components(c), nil
	case "aws:ec2/eip:Eip":
		return cost.ElasticIP{Region: region}.Components(c), nil
	case "aws:cloudwatch/logGroup:LogGroup":
		return p.logGroup(n, served), nil
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		return cost.MetricAlarm{Region: region}.Components(c), nil
	case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
		return cost.LogMetricFilter{Region: region}.Components(c), nil
	case "aws:s3/bucketV2:BucketV2":
		tagsIn, _ := n.Inputs["tags"].(map[string]any)
		if tagsIn[cost.PurposeTagKey] == cost.PurposeCloudTrail {
			// CloudTrail's gzipped log files, kept a year; it delivers a file
			// about every 5 minutes per region with activity (home and the
			// global events': two).
			monthly := pl.CloudTrailEventsMillions * 1e6 * pl.CloudTrailEventKB / 1e6 * pl.LogStorageCompression
			return cost.S3Bucket{Region: region, StoredGB: monthly * 12, PutRequests: 2 * 12 * 730}.Components(c), nil
		}
		if tagsIn[cost.PurposeTagKey] == cost.PurposeConfig {
			// AWS Config's history and snapshot files: about 2 KB per item,
			// kept a year; one object per delivery, a few hundred a month.
			items := float64(p.cloudResources) * pl.ConfigItemsPerResource
			return cost.S3Bucket{Region: region, StoredGB: items * 12 * 2e-6, PutRequests: items/10 + 30}.Components(c), nil
		}
		monthly := w(func(x stacks.Workload) float64 { return x.RequestsMillions }) * pl.AccessLogGBPerMillionRequests
		albs := float64(len(p.g.OfType("aws:lb/loadBalancer:LoadBalancer")))
		// The bucket keeps a year of logs; each ALB node writes a file every 5 minutes.
		return cost.S3Bucket{Region: region, StoredGB: monthly * 12, PutRequests: albs * 2 * 12 * 730}.Components(c), nil
	case "aws:kms/key:Key":
		return cost.KMSKey{Region: region, Requests: pl.KMSRequestsPerKey}.Components(c), nil
	case "aws:wafv2/webAcl:WebAcl":
		rules, err := n.JSONCount("ruleJson")
		if err != nil {
			return nil, fmt.Errorf("web ACL rules: %w", err)
		}
		return cost.WebACL{Region: region, Rules: int64(rules), RequestsMillions: w(func(x stacks.Workload) float64 { return x.RequestsMillions })}.Components(c), nil
	case "aws:guardduty/detector:Detector":
		// GuardDuty reads every VPC's flows (from a stream of its own, flow
		// logs or not): the same volume the flow-log groups ingest.
		flows := 0.0
		for _, vpc := range p.g.OfType(graph.TypeNetwork) {
			flows += p.flowLogGB(p.served(vpc))
		}
		return cost.GuardDuty{Region: region, CloudTrailEventsMillions: pl.CloudTrailEventsMillions, FlowLogGB: flows}.Components(c), nil
	case "aws:cfg/recorder:Recorder":
		return cost.ConfigRecorder{Region: region, Items: float64(p.cloudResources) * pl.ConfigItemsPerResource, RuleEvaluations: pl.SecurityHubChecks}.Components(c), nil
	case "aws:guardduty/detectorFeature:DetectorFeature":
		// RDS Protection bills the vCPUs of the provisioned instances it
		// monitors. The stored GuardDuty User Guide page lists Aurora only;
		// later material names RDS for PostgreSQL too, so the tenants' RDS
		// instances (their primaries: a standby takes no logins) are priced
		// as well rather than risk a figure that is too low.
		var vcpus int64
		for _, typ := range []string{"aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance"} {
			for _, db := range p.g.OfType(typ) {
				vcpus += cost.DBInstanceVCPUs(db.Str("instanceClass"))
			}
		}
		return cost.GuardDutyFeature{Region: region, Name: n.Str("name"), VCPUs: float64(vcpus)}.Components(c), nil
	case "aws:secretsmanager/secret:Secret":
		return cost.SecretsManagerSecret{Region: p.regionOf(n)}.Components(c), nil
	case "aws:securityhub/account:Account":
		return cost.SecurityHub{Region: region, Checks: pl.SecurityHubChecks}.Components(c), nil
	case "aws:backup/vault:Vault", "aws:backup/plan:Plan":
		return p.backup(n, w(func(x stacks.Workload) float64 { return x.DBStorageGB }))
	}
	return nil, fmt.Errorf("no pricer for %s", n.Type)
}

// natTraffic is what the NAT gateways of n's owner (its tenant stack or the
// shared tier) process a month: the tenants' outbound calls and, with no
// interface endpoints, the logs the app servers ship to CloudWatch, plus the
// servers' own traffic. S3 traffic takes the gateway endpoint.
func (p *pricer) natTraffic(n graph.Node, served []string) float64 {
	pl := p.platform
	return p.sum(served, func(x stacks.Workload) float64 { return x.NATInternetGB + x.AppLogGB + x.AuditLogGB }) +
		(pl.AppInstanceNATGB+pl.AppInstanceLogGB)*p.appServers(n)
}

// flowLogGB is what a VPC's flow logs ingest a month: its baseline, and the
// records its tenants' connections write.
func (p *pricer) flowLogGB(served []string) float64 {
	pl := p.platform
	connections := p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions * 1e6 * pl.NewConnectionsPerRequest })
	return pl.FlowLogBaselineGBPerVPC + connections*pl.FlowLogRecordsPerConnection*pl.FlowLogBytesPerRecord/1e9
}

// interAZ prices the traffic the layout sends across AZs from an app tier
// (an Auto Scaling group or a tenant's server). The servers are spread
// evenly over the AZs of their subnets; the NAT gateways, the database
// writer and the Redis primary each sit in one AZ. A tenant's single server
// shares its AZ with its stack's NAT (both in the first AZ); its Multi-AZ
// database and its cache primary may be in either of two AZs, so half of
// that traffic is counted as crossing. Not billed, so not priced: ALB to
// targets (cross-zone traffic of an ALB is free), Multi-AZ and Aurora
// replication, and ElastiCache replication between a group's nodes.
func (p *pricer) interAZ(n graph.Node, served []string) []cost.Component {
	pl := p.platform
	if len(served) == 0 {
		return nil // a stack kept while its tenant migrates carries no traffic
	}
	requests := p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions })
	var natShare, storeShare float64
	if n.Type == "aws:autoscaling/group:Group" {
		azs := 2.0
		if subnets, ok := n.List("vpcZoneIdentifiers"); ok && len(subnets) > 0 {
			azs = float64(len(subnets))
		}
		nats := 0.0
		if owner, ok := p.g.Ancestor(n, graph.TypeSharedTier); ok {
			for _, d := range p.g.Descendants(owner.URN) {
				if d.Type == "aws:ec2/natGateway:NatGateway" {
					nats++
				}
			}
		}
		natShare = max(azs-max(nats, 1), 0) / azs
		storeShare = (azs - 1) / azs
	} else {
		natShare, storeShare = 0, 0.5
	}
	r := p.region
	natGB := 0.0
	if natShare > 0 { // a walk of the owner's resources: only where it counts
		natGB = p.natTraffic(n, served) * natShare
	}
	var out []cost.Component
	for _, x := range []cost.InterAZ{
		{Region: r, Path: "app servers to the NAT gateway", CrossingGB: natGB, Driver: "natInternetGb"},
		{Region: r, Path: "app servers to the database writer", CrossingGB: requests * pl.DBTrafficKBPerRequest * storeShare},
		{Region: r, Path: "app servers to the Redis primary", CrossingGB: requests * pl.CacheTrafficKBPerRequest * storeShare},
	} {
		if x.CrossingGB > 0 {
			out = append(out, x.Components(p.cat)...)
		}
	}
	return out
}

// monitoring is the enhanced monitoring log volume of a database instance.
func monitoring(n graph.Node, pl stacks.PlatformUsage) float64 {
	if v, _ := n.Num("monitoringInterval"); v > 0 {
		return pl.DBMonitoringLogGBPerInstance
	}
	return 0
}

// regionOf is the region a resource lives in: its explicit provider's, or
// the stack's.
func (p *pricer) regionOf(n graph.Node) string {
	if r := p.g.ProviderRegion(n); r != "" {
		return r
	}
	return p.region
}

// backupSchedule is what an AWS Backup plan does: a backup every everyDays,
// kept homeDays in its vault, and copied to another region's vault, kept
// copyDays (0: no copy).
type backupSchedule struct{ everyDays, homeDays, copyDays int }

func (p *pricer) backupScheduleOf(plan graph.Node) (backupSchedule, error) {
	cron, _ := graph.Path(plan.Inputs, "rules", 0, "schedule").(string)
	var s backupSchedule
	for _, d := range []int{1, 7, 30} {
		if want, _ := cost.CopySchedule(d); want == cron {
			s.everyDays = d
		}
	}
	if s.everyDays == 0 {
		return s, fmt.Errorf("backup plan schedule %q is not one tenancy prices (daily, weekly or monthly)", cron)
	}
	s.homeDays = int(graph.AsNum(graph.Path(plan.Inputs, "rules", 0, "lifecycle", "deleteAfter"), 0))
	s.copyDays = int(graph.AsNum(graph.Path(plan.Inputs, "rules", 0, "copyActions", 0, "lifecycle", "deleteAfter"), 0))
	if s.homeDays <= 0 {
		return s, fmt.Errorf("backup plan keeps its recovery points forever (no lifecycle.deleteAfter); tenancy prices only plans that expire them")
	}
	return s, nil
}

// backup prices the Aurora disaster-recovery copies as AWS bills them: each
// snapshot and each cross-region copy is the whole volume; home snapshots
// inside the cluster's retention are free (see cost.BackupVault).
func (p *pricer) backup(n graph.Node, volumeGB float64) ([]cost.Component, error) {
	plan := n
	if n.Type != "aws:backup/plan:Plan" {
		var ok bool
		if plan, ok = p.g.Sibling(n, "aws:backup/plan:Plan"); !ok {
			return nil, fmt.Errorf("backup vault without a plan beside it: tenancy cannot tell what it holds")
		}
	}
	sched, err := p.backupScheduleOf(plan)
	if err != nil {
		return nil, err
	}
	if n.Type == "aws:backup/plan:Plan" {
		copies := 0.0
		if sched.copyDays > 0 {
			copies = cost.CopiesPerMonth(sched.everyDays)
		}
		return cost.BackupPlan{Region: p.regionOf(n), VolumeGB: volumeGB, CopiesPerMonth: copies}.Components(p.cat), nil
	}
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	switch tagsIn[cost.BackupTagKey] {
	case cost.BackupTagHome:
		retention := 0.0
		if cluster, ok := p.g.Sibling(n, "aws:rds/cluster:Cluster"); ok {
			retention, _ = cluster.Num("backupRetentionPeriod")
		}
		return cost.BackupVault{Region: p.regionOf(n), VolumeGB: volumeGB,
			RecoveryPoints: cost.RecoveryPoints(sched.homeDays, sched.everyDays),
			FreePoints:     cost.RecoveryPoints(min(sched.homeDays, int(retention)), sched.everyDays)}.Components(p.cat), nil
	case cost.BackupTagCopy:
		return cost.BackupVault{Region: p.regionOf(n), VolumeGB: volumeGB,
			RecoveryPoints: cost.RecoveryPoints(sched.copyDays, sched.everyDays)}.Components(p.cat), nil
	}
	return nil, fmt.Errorf("backup vault has no %s tag (%s or %s): tenancy cannot tell what it holds", cost.BackupTagKey, cost.BackupTagHome, cost.BackupTagCopy)
}

// awsBackupSnapshotsGB is what an AWS Backup plan keeps of an RDS instance
// it selects by tag: the first snapshot in full and each later one's
// changes (RDS snapshots are incremental), which count towards the
// instance's backup storage with its automated backups (RDS bills what
// exceeds 100% of its storage). Zero when no plan selects it.
func (p *pricer) awsBackupSnapshotsGB(n graph.Node, dataGB float64) (float64, error) {
	tagsIn, _ := n.Inputs["tags"].(map[string]any)
	want, _ := tagsIn[cost.DatabaseBackupTag].(string)
	if want == "" {
		return 0, nil
	}
	for _, sel := range p.g.OfType("aws:backup/selection:Selection") {
		if graph.Path(sel.Inputs, "selectionTags", 0, "key") != cost.DatabaseBackupTag || graph.Path(sel.Inputs, "selectionTags", 0, "value") != want {
			continue
		}
		plan, ok := p.g.Sibling(sel, "aws:backup/plan:Plan")
		if !ok {
			return 0, fmt.Errorf("backup selection %s without a plan beside it", sel.URN)
		}
		sched, err := p.backupScheduleOf(plan)
		if err != nil {
			return 0, err
		}
		points := cost.RecoveryPoints(sched.homeDays, sched.everyDays)
		return dataGB * (1 + max(points-1, 0)*p.platform.BackupDailyChangeRate*float64(sched.everyDays)), nil
	}
	return 0, nil
}

// logGroup prices a log group by what it holds, which its name says.
func (p *pricer) logGroup(n graph.Node, served []string) []cost.Component {
	pl := p.platform
	retention, ok := n.Num("retentionInDays")
	if !ok || retention == 0 {
		retention = 365 * 10 // "never expire": price ten years kept
	}
	name := n.Str("name")
	var ingest float64
	driver := "appLogGb"
	switch {
	case name == stacks.AuditLogGroupName:
		ingest, driver = p.sum(served, func(x stacks.Workload) float64 { return x.AuditLogGB }), "auditLogGb"
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
		driver = "requestsMillions"
	case strings.HasPrefix(name, "/aws/cloudtrail/"):
		// The trail's management events, every region's.
		ingest, driver = pl.CloudTrailEventsMillions*1e6*pl.CloudTrailEventKB/1e6, ""
	case strings.HasPrefix(name, "aws-waf-logs-"):
		// A web ACL logs the requests it blocks, and only those.
		ingest = p.sum(served, func(x stacks.Workload) float64 { return x.RequestsMillions }) * 1e6 * pl.WAFBlockedShare * pl.WAFLogKBPerRequest / 1e6
		driver = "requestsMillions"
	default: // a VPC's flow logs
		ingest, driver = p.flowLogGB(served), "requestsMillions"
	}
	return cost.LogGroup{Region: p.regionOf(n), IngestGB: ingest, StoredGB: cost.StoredLogGB(ingest, int(retention), pl.LogStorageCompression),
		Driver: driver}.Components(p.cat)
}
