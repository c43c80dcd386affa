package stacks

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tenancy-dev/tenancy/cost"
)

// survivors is how many of n instances spread over azs zones keep running
// when the zone holding the most of them is lost. Only prod promises to
// survive it; in dev every instance counts.
func survivors(c *Config, n int) int {
	if !c.Protected() {
		return n
	}
	return n - int(math.Ceil(float64(n)/float64(c.Network.AZCount)))
}

// asgKnob sizes the shared Auto Scaling group's desired count, from the
// configured one up to the validator's maxASGSize, and keeps max at
// least desired plus one zone's share (room to replace a lost zone).
func asgKnob(c *Config, perInstance float64) *knob {
	var opts []string
	for n := c.Shared.ASGDesired; n <= maxASGSize; n++ {
		opts = append(opts, strconv.Itoa(n))
	}
	azs := c.Network.AZCount
	maxFor := func(n int) int {
		return max(c.Shared.ASGMax, min(n+int(math.Ceil(float64(n)/float64(azs))), maxASGSize))
	}
	return &knob{File: c.StackFile, Field: Namespace + ":asgDesired", options: opts,
		capacity: func(o string) float64 { n, _ := strconv.Atoi(o); return float64(survivors(c, n)) * perInstance },
		apply: func(c *Config, o string) {
			n, _ := strconv.Atoi(o)
			c.Shared.ASGDesired, c.Shared.ASGMax = n, maxFor(n)
		},
		describe: func(o string) string { return o + " × " + c.Shared.AppInstanceType },
		setting: func(o string) string {
			n, _ := strconv.Atoi(o)
			if m := maxFor(n); m != c.Shared.ASGMax {
				return fmt.Sprintf("%s:asgDesired: %d and %s:asgMax: %d (%d × %s, room to replace a lost AZ)", Namespace, n, Namespace, m, n, c.Shared.AppInstanceType)
			}
			return fmt.Sprintf("%s:asgDesired: %d (%d × %s)", Namespace, n, n, c.Shared.AppInstanceType)
		}}
}

// shapeKnob sizes a class within its family, from the configured one up.
func shapeKnob(file, field string, line int, kind cost.ShapeKind, class string, capacity func(Spec) float64, apply func(*Config, string)) *knob {
	return &knob{File: file, Field: field, Line: line, options: familyOptions(kind, class),
		capacity: func(o string) float64 { s, _ := ShapeSpec(kind, o); return capacity(s) },
		apply:    apply, describe: func(o string) string { return o }}
}

// busyConnections are the database connections a workload holds at its
// peak (Little's law).
func busyConnections(w Workload) float64 { return w.PeakRPS * w.DBMsPerRequest / 1000 }

// cacheSize describes a Redis group.
func cacheSize(shards, nodes int, nodeType string) string {
	if shards > 1 {
		return fmt.Sprintf("%d shards of %d × %s", shards, nodes, nodeType)
	}
	return fmt.Sprintf("%d × %s, one shard", nodes, nodeType)
}

// cacheKnob sizes the shared Redis: a larger node in the family first, then
// more shards of the largest (scale up, then out: fewer nodes to run).
// Options are "NODETYPE" or "NODETYPE/SHARDS".
func cacheKnob(c *Config, usable float64) *knob {
	types := familyOptions(cost.ElastiCacheRedisNode, c.Shared.CacheNodeType)
	largest := types[len(types)-1]
	opts := make([]string, 0, len(types)+100)
	for _, t := range types {
		opts = append(opts, fmt.Sprintf("%s/%d", t, c.Shared.CacheShards))
	}
	for s := c.Shared.CacheShards + 1; s <= 100; s++ {
		opts = append(opts, fmt.Sprintf("%s/%d", largest, s))
	}
	split := func(o string) (string, int) {
		t, n, _ := strings.Cut(o, "/")
		shards, _ := strconv.Atoi(n)
		return t, shards
	}
	return &knob{File: c.StackFile, Field: Namespace + ":cacheNodeType", options: opts,
		capacity: func(o string) float64 {
			t, shards := split(o)
			s, _ := ShapeSpec(cost.ElastiCacheRedisNode, t)
			return float64(shards) * s.MemoryGiB * usable
		},
		apply:    func(c *Config, o string) { c.Shared.CacheNodeType, c.Shared.CacheShards = split(o) },
		describe: func(o string) string { t, shards := split(o); return cacheSize(shards, c.Shared.CacheNodes, t) },
		setting: func(o string) string {
			t, shards := split(o)
			if shards == c.Shared.CacheShards {
				return Namespace + ":cacheNodeType: " + t
			}
			return fmt.Sprintf("%s:cacheNodeType: %s and %s:cacheShards: %d (cluster mode: a cluster client in the application)", Namespace, t, Namespace, shards)
		}}
}

// stackSpecs are a stack's app server, database and cache node
// specifications. The validator accepts only shapes with one
// (TestEveryOfferedShapeHasASpec), so a miss is an error, never infinity.
func stackSpecs(appType string, dbKind cost.ShapeKind, dbClass, cacheType string) (app, db, cache Spec, err error) {
	if app, err = ShapeSpec(cost.EC2InstanceType, appType); err != nil {
		return
	}
	if db, err = ShapeSpec(dbKind, dbClass); err != nil {
		return
	}
	cache, err = ShapeSpec(cost.ElastiCacheRedisNode, cacheType)
	return
}

// sharedChecks measure the shared tier against its tenants' peak.
func sharedChecks(c *Config) ([]Check, error) {
	ts, p, sh := c.SharedTenants(), c.Usage.Platform, c.Shared
	app, db, cache, err := stackSpecs(sh.AppInstanceType, cost.AuroraPostgresClass, sh.DBInstanceClass, sh.CacheNodeType)
	if err != nil {
		return nil, err
	}
	left := survivors(c, sh.ASGDesired)
	asgSize := fmt.Sprintf("%d × %s", sh.ASGDesired, sh.AppInstanceType)
	if c.Protected() {
		asgSize += fmt.Sprintf(", %d left with an AZ lost", left)
	}
	target := float64(sh.TargetCPUPercent) / 100
	usable := 1 - p.CacheReservedMemoryPercent/100
	out := []Check{
		{Owner: "shared", Resource: "app CPU", Unit: "vCPU", Size: asgSize,
			Demand:   sum(ts, func(t Tenant) float64 { return t.Workload.PeakRPS * t.Workload.CPUMsPerRequest / 1000 }),
			Capacity: float64(left) * app.VCPU * target, Basis: fmt.Sprintf("peak requests a second × CPU per request, against %d%% CPU (the scaling target)", sh.TargetCPUPercent),
			knob: asgKnob(c, app.VCPU*target)},
		{Owner: "shared", Resource: "app memory", Unit: "GiB", Size: asgSize,
			Demand:   sum(ts, func(t Tenant) float64 { return peakMemoryGiB(t, p) }),
			Capacity: float64(left) * (app.MemoryGiB - p.AppBaseMemoryGB), Basis: "requests in flight × memory per request, against each server's memory less its base",
			knob: asgKnob(c, app.MemoryGiB-p.AppBaseMemoryGB)},
		{Owner: "shared", Resource: "database connections", Unit: "connections", Size: sh.DBInstanceClass + " writer",
			Demand:   sum(ts, func(t Tenant) float64 { return busyConnections(t.Workload) }),
			Capacity: MaxConnections(db.MemoryGiB), Basis: "connections busy at the peak (requests a second × database time per request), which the pooler multiplexes, against the writer's max_connections",
			knob: shapeKnob(c.StackFile, Namespace+":dbInstanceClass", 0, cost.AuroraPostgresClass, sh.DBInstanceClass,
				func(s Spec) float64 { return MaxConnections(s.MemoryGiB) }, func(c *Config, o string) { c.Shared.DBInstanceClass = o })},
		{Owner: "shared", Resource: "database storage", Unit: "GB", Size: "Aurora cluster volume",
			Demand:   sum(ts, func(t Tenant) float64 { return t.Workload.DBStorageGB }),
			Capacity: auroraMaxStorageGB, Basis: "the tenants' data, against Aurora's 128 TiB volume"},
		{Owner: "shared", Resource: "cache memory", Unit: "GiB", Size: cacheSize(sh.CacheShards, sh.CacheNodes, sh.CacheNodeType),
			Demand:   sum(ts, func(t Tenant) float64 { return gbToGiB(t.Workload.CacheMemoryGB) }),
			Capacity: float64(sh.CacheShards) * cache.MemoryGiB * usable, Basis: fmt.Sprintf("the tenants' working sets, against each shard's node memory less Redis's %.0f%% reserve; replicas hold copies", p.CacheReservedMemoryPercent),
			knob: cacheKnob(c, usable)},
		{Owner: "shared", Resource: "cache connections", Unit: "connections", Size: sh.CacheNodeType + " primary",
			Demand:   sum(ts, func(t Tenant) float64 { return t.Workload.CacheConnections }),
			Capacity: redisMaxClients, Basis: "connections at the peak, against ElastiCache's maxclients"},
	}
	return append(out, edgeChecks(c, ts, p)...), nil
}

// edgeChecks measure the shared load balancer, NAT gateway and web ACL.
func edgeChecks(c *Config, ts []Tenant, p PlatformUsage) []Check {
	second := cost.HoursPerMonth.InexactFloat64() * 3600
	peakGbps := func(f func(Workload) float64) float64 {
		return sum(ts, func(t Tenant) float64 { return f(t.Workload) * peakRatio(t.Workload) }) * 8 / second
	}
	lcu := math.Max(sum(ts, func(t Tenant) float64 { return t.Workload.PeakRPS })*p.NewConnectionsPerRequest/25,
		peakGbps(func(w Workload) float64 { return w.DataOutGB + w.DataInGB })*3600/8)
	out := []Check{
		{Owner: "shared", Resource: "load balancer", Unit: "LCU", Elastic: true, Size: "1 ALB",
			Demand: lcu, Basis: "the larger of new connections (25 a second an LCU) and bytes processed (1 GB an hour an LCU) at the peak; the ALB scales, billed per LCU"},
		{Owner: "shared", Resource: "NAT bandwidth", Unit: "Gbps", Size: c.Network.NATGateways + " NAT gateway",
			Demand:   peakGbps(func(w Workload) float64 { return w.NATInternetGB }) + float64(c.Shared.ASGDesired)*p.AppInstanceNATGB*8/second,
			Capacity: natMaxGbps, Basis: "the tenants' outbound traffic at their peak and the servers' own, against a NAT gateway's 100 Gbps"},
		{Owner: "shared", Resource: "NAT connections", Unit: "per destination", Size: c.Network.NATGateways + " NAT gateway",
			Demand:   sum(ts, func(t Tenant) float64 { return t.Workload.PeakRPS }) * p.NATCallsPerRequest * p.NATDestinationShare * p.NATConnectionSeconds,
			Capacity: natConnectionsPerDestination, Basis: "outbound calls at the peak to the busiest destination × how long each is open, against 55,000 per destination"},
	}
	if c.EdgeRateLimits {
		perTier := map[string]int{}
		for _, t := range ts {
			perTier[string(t.Tier)]++
		}
		out = append(out, Check{Owner: "shared", Resource: "web ACL", Unit: "WCU", Size: "1 web ACL",
			Demand: float64(EdgeRateLimitCapacity(perTier)), Capacity: MaxWebACLCapacity, Basis: "managed rule groups and a host match per tenant, against AWS's 5,000 per web ACL"})
	}
	return out
}

// dedicatedChecks measure one dedicated stack against its tenant's peak.
func dedicatedChecks(c *Config, t Tenant) ([]Check, error) {
	size, p, w := t.Sizing.Resolved(), c.Usage.Platform, t.Workload
	app, db, cache, err := stackSpecs(size.AppInstanceType, cost.RDSPostgresClass, size.DBInstanceClass, size.CacheNodeType)
	if err != nil {
		return nil, err
	}
	field := func(f string) string { return fmt.Sprintf("tenants[%s].sizing.%s", t.ID, f) }
	target := float64(c.Shared.TargetCPUPercent) / 100
	usable := 1 - p.CacheReservedMemoryPercent/100
	set := func(f func(*Sizing, string)) func(*Config, string) {
		return func(c *Config, o string) {
			for i := range c.Tenants {
				if c.Tenants[i].ID == t.ID {
					f(&c.Tenants[i].Sizing, o)
				}
			}
		}
	}
	reg := c.RegistryFile
	return []Check{
		{Owner: t.ID, Resource: "app CPU", Unit: "vCPU", Size: "1 × " + size.AppInstanceType, Demand: w.PeakRPS * w.CPUMsPerRequest / 1000,
			Capacity: app.VCPU * target, Basis: fmt.Sprintf("peak requests a second × CPU per request, against %d%% CPU", c.Shared.TargetCPUPercent),
			knob: shapeKnob(reg, field("appInstanceType"), t.Line, cost.EC2InstanceType, size.AppInstanceType,
				func(s Spec) float64 { return s.VCPU * target }, set(func(s *Sizing, o string) { s.AppInstanceType = o }))},
		{Owner: t.ID, Resource: "app memory", Unit: "GiB", Size: "1 × " + size.AppInstanceType, Demand: peakMemoryGiB(t, p),
			Capacity: app.MemoryGiB - p.AppBaseMemoryGB, Basis: "requests in flight × memory per request, against the server's memory less its base",
			knob: shapeKnob(reg, field("appInstanceType"), t.Line, cost.EC2InstanceType, size.AppInstanceType,
				func(s Spec) float64 { return s.MemoryGiB - p.AppBaseMemoryGB }, set(func(s *Sizing, o string) { s.AppInstanceType = o }))},
		{Owner: t.ID, Resource: "database connections", Unit: "connections", Size: size.DBInstanceClass, Demand: busyConnections(w),
			Capacity: MaxConnections(db.MemoryGiB), Basis: "connections busy at the peak (requests a second × database time per request), against max_connections",
			knob: shapeKnob(reg, field("dbInstanceClass"), t.Line, cost.RDSPostgresClass, size.DBInstanceClass,
				func(s Spec) float64 { return MaxConnections(s.MemoryGiB) }, set(func(s *Sizing, o string) { s.DBInstanceClass = o }))},
		{Owner: t.ID, Resource: "database storage", Unit: "GB", Size: fmt.Sprintf("%d GB allocated", t.DedicatedDBStorageGB()), Demand: w.DBStorageGB,
			Capacity: float64(t.DedicatedDBStorageGB()), Basis: "the tenant's data, against the allocated storage",
			knob: storageKnob(c, t, field("dbStorageGb"), set(func(s *Sizing, o string) { s.DBStorageGB, _ = strconv.Atoi(o) }))},
		{Owner: t.ID, Resource: "cache memory", Unit: "GiB", Size: "2 × " + size.CacheNodeType, Demand: gbToGiB(w.CacheMemoryGB),
			Capacity: cache.MemoryGiB * usable, Basis: fmt.Sprintf("the tenant's working set, against a node's memory less Redis's %.0f%% reserve", p.CacheReservedMemoryPercent),
			knob: shapeKnob(reg, field("cacheNodeType"), t.Line, cost.ElastiCacheRedisNode, size.CacheNodeType,
				func(s Spec) float64 { return s.MemoryGiB * usable }, set(func(s *Sizing, o string) { s.CacheNodeType = o }))},
	}, nil
}

// storageKnob sizes a dedicated database's allocated storage: the configured
// size, or the data with the headroom rounded up to 10 GB (RDS's 20 GB at
// least).
func storageKnob(c *Config, t Tenant, field string, apply func(*Config, string)) *knob {
	need := int(math.Ceil(t.Workload.DBStorageGB/(1-float64(c.HeadroomPercent)/100)/10)) * 10
	opts := []string{strconv.Itoa(t.DedicatedDBStorageGB())}
	if need > t.DedicatedDBStorageGB() {
		opts = append(opts, strconv.Itoa(max(need, 20)))
	}
	return &knob{File: c.RegistryFile, Field: field, Line: t.Line, options: opts,
		capacity: func(o string) float64 { n, _ := strconv.Atoi(o); return float64(n) },
		apply:    apply, describe: func(o string) string { return o + " GB" }}
}
