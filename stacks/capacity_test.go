package stacks

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
)

// checkOf finds one check by owner and resource.
func checkOf(t *testing.T, checks []Check, owner, resource string) Check {
	t.Helper()
	for _, k := range checks {
		if k.Owner == owner && k.Resource == resource {
			return k
		}
	}
	t.Fatalf("no check %s %s", owner, resource)
	return Check{}
}

func TestEveryOfferedShapeHasASpec(t *testing.T) {
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	for _, kind := range cost.ShapeKinds {
		for _, class := range cat.Offered(kind) {
			s, err := ShapeSpec(kind, class)
			require.NoError(t, err, "%s %s", kind, class)
			assert.Positive(t, s.MemoryGiB, "%s %s", kind, class)
		}
	}
	_, err = ShapeSpec(cost.ElastiCacheRedisNode, "cache.x9.huge")
	assert.ErrorContains(t, err, "stacks/specs.go")
}

func TestShapeSpecs(t *testing.T) {
	for _, tc := range []struct {
		kind      cost.ShapeKind
		class     string
		vcpu, mem float64
	}{
		{cost.EC2InstanceType, "m5.2xlarge", 8, 32},
		{cost.EC2InstanceType, "t3.medium", 2, 4},
		{cost.EC2InstanceType, "c6g.xlarge", 4, 8},
		{cost.EC2InstanceType, "r6i.large", 2, 16},
		{cost.AuroraPostgresClass, "db.r6g.xlarge", 4, 32},
		{cost.RDSPostgresClass, "db.t3.small", 2, 2},
		{cost.ElastiCacheRedisNode, "cache.r6g.large", 0, 13.07},
	} {
		s, err := ShapeSpec(tc.kind, tc.class)
		require.NoError(t, err)
		assert.Equal(t, Spec{VCPU: tc.vcpu, MemoryGiB: tc.mem}, s, tc.class)
	}
	// AWS's table: db.r6g.large 1,802; db.r6g.xlarge 3,604; capped at 5,000.
	assert.Equal(t, 1802.0, MaxConnections(16))
	assert.Equal(t, 3604.0, MaxConnections(32))
	assert.Equal(t, 5000.0, MaxConnections(256))
}

// prodLike is a protected stack of the test registry with many shared
// tenants, so the shared tier carries a real load.
func prodLike(extra string) string {
	return strings.Replace(testStack, "tenancy:environment: dev", "tenancy:environment: prod", 1) + extra
}

func TestCapacityOfTheSharedTier(t *testing.T) {
	dir := writeProject(t, prodLike(""), testRegistry)
	cfg, err := Load(dir, "test", LoadOptions{Add: map[Tier]int{Free: 100, Pro: 70, Enterprise: 20}})
	require.NoError(t, err)
	checks, err := Capacity(cfg)
	require.NoError(t, err)
	cpu := checkOf(t, checks, "shared", "app CPU")
	// 101 free × 1.5 rps + 71 pro × 8 + 20 enterprise × 30, at 8 ms each.
	assert.InDelta(t, (101*1.5+71*8+20*30)*0.008, cpu.Demand, 1e-9)
	// 6 × m5.2xlarge over 2 AZs: 3 left, 8 vCPU each at the 60% target.
	assert.InDelta(t, 3*8*0.6, cpu.Capacity, 1e-9)
	assert.Equal(t, "ok", cpu.Verdict(20))
	cache := checkOf(t, checks, "shared", "cache memory")
	assert.InDelta(t, (101*0.1+71*0.4+20*1.0)/1.073741824, cache.Demand, 1e-9)
	assert.Equal(t, "3 × cache.r6g.4xlarge, one shard", cache.Size, "auto grew the article's r6g.large")
	assert.InDelta(t, 105.81*0.75, cache.Capacity, 1e-9)
	require.Len(t, cfg.Sized, 2)
	assert.Contains(t, cfg.Sized[0], "shared cache memory: tenancy:cacheNodeType 3 × cache.r6g.large, one shard → 3 × cache.r6g.4xlarge, one shard")
	assert.Contains(t, cfg.Sized[1], "alpha cache memory: sizing.cacheNodeType cache.t3.micro → cache.t3.medium")
	assert.Equal(t, "cache.t3.medium", cfg.Tenants[0].Sizing.CacheNodeType)
	db := checkOf(t, checks, "shared", "database connections")
	assert.InDelta(t, (101*1.5+71*8+20*30)*0.02, db.Demand, 1e-9)
	assert.Equal(t, 3604.0*0.5, db.Capacity, "db.r6g.large, the default class")
}

func TestAnUndersizedStackFailsWithTheSizeThatFits(t *testing.T) {
	dir := writeProject(t, prodLike("  tenancy:sizing: fixed\n  tenancy:cacheNodeType: cache.r6g.large\n"), testRegistry)
	_, err := Load(dir, "test", LoadOptions{Sizing: "fixed", Add: map[Tier]int{Pro: 300}})
	var verr *ValidationError
	require.True(t, errors.As(err, &verr), "%v", err)
	msg := err.Error()
	assert.Contains(t, msg, "Pulumi.test.yaml:8: tenancy:cacheNodeType: shared cache memory: 112 GiB at the peak against 9.80 GiB on 3 × cache.r6g.large, one shard")
	assert.Contains(t, msg, "fix: set tenancy:cacheNodeType: cache.r6g.4xlarge and tenancy:cacheShards: 2")
	assert.Contains(t, msg, "tenants/t.yaml:2: tenants[alpha].sizing.cacheNodeType: alpha cache memory: 0.93 GiB at the peak against 0.38 GiB on 2 × cache.t3.micro")
	assert.Contains(t, msg, "fix: set tenants[alpha].sizing.cacheNodeType: cache.t3.medium, or tenancy:sizing: auto")
	assert.Contains(t, msg, "Pulumi.test.yaml: tenancy:asgDesired: shared app CPU: 19.3 vCPU at the peak against 14.4 vCPU on 6 × m5.2xlarge, 3 left with an AZ lost", "301 pro tenants at 8 rps need more than 3 servers")
	assert.Contains(t, msg, "fix: set tenancy:asgDesired: 12 and tenancy:asgMax: 18 (12 × m5.2xlarge, room to replace a lost AZ)")
	assert.Contains(t, msg, "nothing was created")
}

func TestSizingKeepsTheFloorAndGrowsToFit(t *testing.T) {
	dir := writeProject(t, prodLike(""), testRegistry)
	cfg, err := Load(dir, "test", LoadOptions{Add: map[Tier]int{Enterprise: 300}})
	require.NoError(t, err)
	checks, err := Capacity(cfg)
	require.NoError(t, err)
	for _, k := range checks {
		assert.Contains(t, []string{"ok", "elastic"}, k.Verdict(cfg.HeadroomPercent), "%s %s: %v of %v", k.Owner, k.Resource, k.Demand, k.Capacity)
	}
	// 300 enterprise × 30 rps × 8 ms = 72 vCPU (plus the registry's own);
	// 4.8 vCPU a surviving m5.2xlarge; half survive an AZ; 20% headroom.
	cpu := checkOf(t, checks, "shared", "app CPU")
	n := cfg.Shared.ASGDesired
	assert.GreaterOrEqual(t, float64(survivors(cfg, n))*4.8*0.8, cpu.Demand)
	assert.Less(t, float64(survivors(cfg, n-1))*4.8*0.8, cpu.Demand, "the smallest count that fits")
	assert.GreaterOrEqual(t, cfg.Shared.ASGMax, n+n/2, "max leaves room to replace a lost AZ")
	assert.Equal(t, "m5.2xlarge", cfg.Shared.AppInstanceType, "the instance type is kept")
	cache := checkOf(t, checks, "shared", "cache memory")
	assert.Greater(t, cfg.Shared.CacheShards, 1, "300 GB does not fit one shard")
	assert.Equal(t, "cache.r6g.4xlarge", cfg.Shared.CacheNodeType)
	assert.GreaterOrEqual(t, cache.Capacity*0.8, cache.Demand)
	assert.Less(t, float64(cfg.Shared.CacheShards-1)*105.81*0.75*0.8, cache.Demand, "the fewest shards that fit")

	small, err := Load(dir, "test", LoadOptions{})
	require.NoError(t, err)
	assert.Equal(t, []int{4, 6, 8}, []int{small.Shared.ASGMin, small.Shared.ASGDesired, small.Shared.ASGMax}, "never below the configured floor")
	assert.Equal(t, "cache.r6g.large", small.Shared.CacheNodeType)
}

func TestLowHeadroomWarns(t *testing.T) {
	dir := writeProject(t, prodLike("  tenancy:sizing: fixed\n  tenancy:capacityHeadroomPercent: 60\n"), strings.Replace(testRegistry, "    compliance: [hipaa, dedicated-required]\n", "    compliance: [hipaa, dedicated-required]\n    sizing: {cacheNodeType: cache.t3.medium}\n", 1))
	cfg, err := Load(dir, "test", LoadOptions{})
	require.NoError(t, err)
	joined := strings.Join(cfg.Warnings, "\n")
	assert.Contains(t, joined, "capacity: alpha database storage: 200 GB at the peak against 250 GB on 250 GB allocated")
	assert.Contains(t, joined, "headroom 20%, under the 60% of tenancy:capacityHeadroomPercent (fix: set tenants[alpha].sizing.dbStorageGb: 500 (500 GB), or tenancy:sizing: auto)")
}

func TestTierLimitsHoldTheWorkload(t *testing.T) {
	reg := strings.Replace(testRegistry, "    tier: free\n", "    tier: free\n    usage: {peakRps: 5}\n", 1)
	_, err := Load(writeProject(t, testStack, reg), "test", LoadOptions{})
	assert.ErrorContains(t, err, "tenants/t.yaml:11: tenants[gamma].usage.peakRps: 5 is over the free tier's 1.67 requests a second")
}

func TestWhatIfTenants(t *testing.T) {
	dir := writeProject(t, testStack+"  tenancy:sizing: fixed\n", testRegistry)
	cfg, err := Load(dir, "test", LoadOptions{Tenants: 10})
	require.NoError(t, err)
	count := map[string]int{}
	for _, tn := range cfg.Tenants {
		count[string(tn.Tier)+"/"+string(tn.Placement)]++
		assert.True(t, strings.HasPrefix(tn.ID, "sim-"), tn.ID)
		assert.LessOrEqual(t, len(tn.ID), MaxTenantIDLength)
	}
	// One third each of enterprise/dedicated, pro/shared and free/shared:
	// 3.33 each, the remainder to the smallest tier.
	assert.Equal(t, map[string]int{"enterprise/dedicated": 3, "pro/shared": 3, "free/shared": 4}, count)
	assert.Equal(t, "auto", cfg.SizingMode)
	assert.Contains(t, cfg.Warnings[0], "what-if: sized automatically")

	grown, err := Load(dir, "test", LoadOptions{Add: map[Tier]int{Free: 2}})
	require.NoError(t, err)
	assert.Len(t, grown.Tenants, 5)
	assert.Equal(t, Shared, grown.Tenants[4].Placement)
	assert.Equal(t, grown.Usage.Tiers[Free], grown.Tenants[4].Workload)
}

func TestParseAdd(t *testing.T) {
	got, err := ParseAdd("free=300, pro=50")
	require.NoError(t, err)
	assert.Equal(t, map[Tier]int{Free: 300, Pro: 50}, got)
	for in, want := range map[string]string{
		"gold=3":         `unknown tier "gold": use free, pro or enterprise`,
		"free=0":         "free=0: the count must be a whole number of 1 or more",
		"free=-2":        "free=-2: the count must be a whole number of 1 or more",
		"free":           `"free" is not tier=count`,
		"free=1,free=2":  "tier free is given twice",
		"pro=1.5":        "pro=1.5: the count must be a whole number",
		"enterprise=abc": "enterprise=abc",
	} {
		_, err := ParseAdd(in)
		assert.ErrorContains(t, err, want, in)
	}
}

func TestAChoiceWithoutAPriceIsRefused(t *testing.T) {
	west := strings.Replace(testStack, "aws:region: us-east-1", "aws:region: us-west-2", 1) + "  tenancy:backupCopyRegion: us-east-1\n"
	_, err := Load(writeProject(t, west+"  tenancy:dbStorageType: io-optimized\n  tenancy:auditLogClass: infrequent-access\n", testRegistry), "test", LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `tenancy:dbStorageType: "io-optimized" has no price (aurora:storage:io-optimized) in us-west-2 (fix: add aurora:storage:io-optimized to cost/prices/us-west-2.json with its source, or keep the default)`)
	assert.Contains(t, err.Error(), `tenancy:auditLogClass: "infrequent-access" has no price (logs:ingest:infrequent-access) in us-west-2`)
	_, err = Load(writeProject(t, testStack+"  tenancy:dbStorageType: io-optimised\n", testRegistry), "test", LoadOptions{})
	assert.ErrorContains(t, err, "tenancy:dbStorageType")
}

// TestAMigratingTenantKeepsItsStacksSizes: the dedicated stack a move to
// the shared tier keeps is sized as it was, so starting the move resizes
// nothing in it (its cache would lose what no longer fits).
func TestAMigratingTenantKeepsItsStacksSizes(t *testing.T) {
	reg := strings.Replace(testRegistry, "    placement: dedicated\n    compliance: [hipaa, dedicated-required]\n", "    placement: dedicated\n", 1)
	dedicated, err := Load(writeProject(t, testStack, reg), "test", LoadOptions{})
	require.NoError(t, err)
	require.Equal(t, "cache.t3.medium", dedicated.Tenants[0].Sizing.CacheNodeType)
	moving := strings.Replace(reg, "    placement: dedicated\n", "    placement: shared\n    migration: {from: dedicated}\n", 1)
	cfg, err := Load(writeProject(t, testStack, moving), "test", LoadOptions{})
	require.NoError(t, err)
	require.Len(t, cfg.MigratingTenants(), 1)
	assert.Equal(t, "cache.t3.medium", cfg.Tenants[0].Sizing.CacheNodeType, "the kept stack's cache as it was")
}

// TestNoSizeFitsSaysByHowMuch: a demand no offered size of the family can
// meet names the resource, the largest size and the shortfall.
func TestNoSizeFitsSaysByHowMuch(t *testing.T) {
	reg := strings.Replace(testRegistry, "    compliance: [hipaa, dedicated-required]\n", "    compliance: [hipaa, dedicated-required]\n    usage: {cacheMemoryGb: 10}\n", 1)
	_, err := Load(writeProject(t, testStack, reg), "test", LoadOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tenants/t.yaml:2: tenants[alpha].sizing.cacheNodeType: alpha cache memory: 9.31 GiB at the peak against 0.38 GiB on 2 × cache.t3.micro")
	assert.Contains(t, err.Error(), "fix: no tenants[alpha].sizing.cacheNodeType fits: the largest, cache.t3.medium, holds 1.85 GiB with 20% headroom, 7.46 short; pick a larger family, or split the tenants across stacks")
}
