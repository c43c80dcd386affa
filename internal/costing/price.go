// Package costing maps the resource graph onto the cost package's pricing
// structs: the thin adapter between Pulumi's type tokens and inputs and the
// prices. It also maps each tenant's workload onto the resources that carry
// it in the graph's topology.
package costing

import (
	"fmt"
	"sort"

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
	// Pricing is the prices used (stacks.PricingModes), and PricingNotes
	// what a commitment term could not reach (no price in the catalog).
	Pricing      string
	PricingNotes []string
	Tenants      []TenantCost
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
	// Phase is the tenant's migration phase (stacks.Migrating, Verified or
	// ""), so a diff can name a migration step as such.
	Phase stacks.MigrationPhase
	// Decommission: the tenant is being ended on purpose.
	Decommission bool
}

// pricer builds the components of one node.
type pricer struct {
	g        *graph.Graph
	cfg      *stacks.Config
	cat      *cost.Catalog
	region   string
	workload map[string]stacks.Workload // by tenant id
	servers  map[string]float64         // app servers by owning component, counted once
	// onDemandOnly counts, by instance type, instances a commitment term
	// could not price (no commitment price in the catalog).
	onDemandOnly map[string]int64
	shared       []string        // shared tenant ids in the graph
	isShared     map[string]bool // the same, as a set
	all          []string        // every tenant id in the graph
	egress       *cost.Price     // blended internet egress rate
	platform     stacks.PlatformUsage
	// cloudResources counts the plan's cloud resources: what AWS Config records.
	cloudResources int
}

// mapper turns one resource type into the cost package's pricing structs:
// the line item its components go under, how its inputs and the tenants'
// workload become quantities, and, where its inputs can make it free, why.
// Each type's mapper lives in a file named like its pricer in cost/.
type mapper struct {
	line  cost.Line
	price func(p *pricer, n graph.Node, served []string) ([]cost.Component, error)
	free  func(n graph.Node) (reason string, free bool)
}

// mappers are the priced types. A cloud type in neither this table nor
// cost.FreeTypes is reported as unpriced.
var mappers = map[string]mapper{
	"aws:ec2/instance:Instance":                         {line: cost.Compute, price: (*pricer).ec2Instance},
	"aws:autoscaling/group:Group":                       {line: cost.Compute, price: (*pricer).autoScalingGroup},
	"aws:rds/instance:Instance":                         {line: cost.Database, price: (*pricer).rdsInstance},
	"aws:rds/cluster:Cluster":                           {line: cost.Database, price: (*pricer).rdsCluster},
	"aws:rds/clusterInstance:ClusterInstance":           {line: cost.Database, price: (*pricer).rdsClusterInstance},
	"aws:rds/proxy:Proxy":                               {line: cost.Database, price: (*pricer).rdsProxy},
	"aws:elasticache/replicationGroup:ReplicationGroup": {line: cost.Cache, price: (*pricer).replicationGroup},
	"aws:lb/loadBalancer:LoadBalancer":                  {line: cost.LoadBalancers, price: (*pricer).loadBalancer},
	"aws:ec2/natGateway:NatGateway":                     {line: cost.NAT, price: (*pricer).natGateway},
	"aws:ec2/eip:Eip":                                   {line: cost.NAT, price: (*pricer).elasticIP},
	"aws:cloudwatch/logGroup:LogGroup":                  {line: cost.Monitoring, price: (*pricer).logGroup},
	"aws:cloudwatch/metricAlarm:MetricAlarm":            {line: cost.Monitoring, price: (*pricer).metricAlarm},
	"aws:cloudwatch/logMetricFilter:LogMetricFilter":    {line: cost.Monitoring, price: (*pricer).logMetricFilter},
	"aws:s3/bucketV2:BucketV2":                          {line: cost.Monitoring, price: (*pricer).s3Bucket},
	"aws:kms/key:Key":                                   {line: cost.Security, price: (*pricer).kmsKey},
	"aws:wafv2/webAcl:WebAcl":                           {line: cost.Security, price: (*pricer).webACL},
	"aws:guardduty/detector:Detector":                   {line: cost.Security, price: (*pricer).guardDuty},
	"aws:guardduty/detectorFeature:DetectorFeature":     {line: cost.Security, price: (*pricer).guardDutyFeature, free: disabledFeature},
	"aws:securityhub/account:Account":                   {line: cost.Security, price: (*pricer).securityHub},
	"aws:cfg/recorder:Recorder":                         {line: cost.Security, price: (*pricer).configRecorder},
	"aws:secretsmanager/secret:Secret":                  {line: cost.Security, price: (*pricer).secret},
	"aws:backup/vault:Vault":                            {line: cost.Backup, price: (*pricer).backupVault, free: databasesVault},
	"aws:backup/plan:Plan":                              {line: cost.Backup, price: (*pricer).backupPlan, free: planWithoutCopy},
}

// PricedTypes lists the types the adapter prices.
func PricedTypes() []string {
	out := make([]string, 0, len(mappers))
	for t := range mappers {
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
	p := &pricer{g: g, cfg: cfg, cat: cat, region: cfg.Region, workload: map[string]stacks.Workload{}, servers: map[string]float64{}, onDemandOnly: map[string]int64{}, platform: cfg.Usage.Platform}
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
	est := &Estimate{Label: label, Stack: cfg.Stack, Region: cfg.Region, Topology: string(cfg.Topology), BudgetUSD: cfg.MonthlyBudgetUSD, Pricing: cfg.Pricing}
	unpriced := map[string]bool{}
	for _, n := range g.Nodes {
		if !n.Cloud() {
			continue
		}
		r, priced, err := p.resource(n)
		if err != nil {
			return nil, fmt.Errorf("costing: %s: %w", n.URN, err)
		}
		if !priced {
			unpriced[n.Type] = true
			continue
		}
		est.Resources = append(est.Resources, r)
	}
	for t := range unpriced {
		est.Unpriced = append(est.Unpriced, t)
	}
	sort.Strings(est.Unpriced)
	est.PricingNotes = p.commitmentNotes()
	var err error
	if est.Tenants, err = p.allocate(est.Resources); err != nil {
		return nil, err
	}
	return est, nil
}

// resource prices one cloud resource; priced is false for a type that is
// neither priced nor known to be free.
func (p *pricer) resource(n graph.Node) (r cost.Resource, priced bool, err error) {
	dedicated, inShared := p.g.TenantOf(n)
	m, ok := mappers[n.Type]
	r = cost.Resource{Name: n.URN, Address: p.address(n), Type: n.Type, Line: m.line, Tenant: dedicated, Shared: inShared}
	if reason, free := cost.FreeTypes[n.Type]; free {
		r.FreeReason = reason
		return r, true, nil
	}
	if !ok {
		return r, false, nil
	}
	if m.free != nil {
		if reason, free := m.free(n); free {
			r.FreeReason = reason
			return r, true, nil
		}
	}
	r.Components, err = m.price(p, n, p.served(n))
	r.Attributes = p.attributes(n)
	return r, true, err
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
	if n, ok := p.servers[owner.URN]; ok {
		return n
	}
	count := 0.0
	defer func() { p.servers[owner.URN] = count }()
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
		{Region: r, Path: "app servers to the NAT gateway", CrossingGB: natGB, Driver: cost.NATInternet},
		{Region: r, Path: "app servers to the database writer", CrossingGB: requests * pl.DBTrafficKBPerRequest * storeShare},
		{Region: r, Path: "app servers to the Redis primary", CrossingGB: requests * pl.CacheTrafficKBPerRequest * storeShare},
	} {
		if x.CrossingGB > 0 {
			out = append(out, x.Components(p.cat)...)
		}
	}
	return out
}

// regionOf is the region a resource lives in: its explicit provider's, or
// the stack's.
func (p *pricer) regionOf(n graph.Node) string {
	if r := p.g.ProviderRegion(n); r != "" {
		return r
	}
	return p.region
}
