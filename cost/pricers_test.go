package cost

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type componentsOf interface{ Components(*Catalog) []Component }

func total(c *Catalog, p componentsOf) decimal.Decimal {
	sum := decimal.Zero
	for _, comp := range p.Components(c) {
		sum = sum.Add(comp.MonthlyCost())
	}
	return sum
}

// TestPricers checks each pricer against figures worked by hand from the
// reference prices and 730 hours.
func TestPricers(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	r := "us-east-1"
	for _, tc := range []struct {
		name string
		p    componentsOf
		want string
	}{
		{"t3.medium with a 16 GB gp3 root", EC2Instance{Region: r, InstanceType: "t3.medium", RootVolumeGB: 16}, "31.648"}, // 0.0416*730 + 16*0.08
		{"custom metrics on an instance", EC2Instance{Region: r, InstanceType: "t3.medium", RootVolumeGB: 16, CustomMetrics: 10}, "34.648"},
		{"6 x m5.2xlarge, 30 GB each", AutoScalingGroup{Region: r, InstanceType: "m5.2xlarge", Instances: 6, RootVolumeGB: 30}, "1696.32"},            // 6*0.384*730 + 180*0.08
		{"db.t3.small Multi-AZ, 100 GB", RDSInstance{Region: r, Class: "db.t3.small", MultiAZ: true, StorageGB: 100}, "75.56"},                        // 0.072*730 + 100*0.23
		{"backup beyond the free allowance", RDSInstance{Region: r, Class: "db.t3.small", StorageGB: 100, BackupGB: 150}, "42.53"},                    // 0.036*730 + 100*0.115 + 50*0.095
		{"secret and monitoring logs", RDSInstance{Region: r, Class: "db.t3.small", StorageGB: 20, ManagedSecret: true, MonitoringLogGB: 2}, "29.98"}, // 26.28 + 2.3 + 0.40 + 1
		{"Aurora storage and I/O", AuroraCluster{Region: r, StorageGB: 1000, IOMillions: 500, BackupGB: 900}, "200"},                                  // 100 + 100, backup within free
		{"Aurora db.r6g.xlarge", AuroraInstance{Region: r, Class: "db.r6g.xlarge"}, "378.87"},
		{"RDS Proxy on 8 vCPUs", RDSProxy{Region: r, VCPUs: 8}, "87.6"},
		{"3 x cache.r6g.large", ReplicationGroup{Region: r, NodeType: "cache.r6g.large", Nodes: 3}, "451.14"},
		{"ALB with 100 LCU-hours, 2 IPs, 10 GB out", ApplicationLoadBalancer{Region: r, LCUHours: 100, PublicIPv4s: 2, EgressGB: 10,
			EgressRate: &Price{USD: decimal.RequireFromString("0.09")}}, "25.425"}, // 16.425 + 0.8 + 7.3 + 0.9
		{"NAT with 100 GB", NATGateway{Region: r, ProcessedGB: 100}, "37.35"},
		{"Elastic IP", ElasticIP{Region: r}, "3.65"},
		{"log group", LogGroup{Region: r, IngestGB: 10, StoredGB: 100}, "8"},
		{"alarm", MetricAlarm{Region: r}, "0.1"},
		{"KMS key with 20k requests", KMSKey{Region: r, Requests: 20000}, "1.06"},
		{"WAF with 5 rules, 10M requests", WebACL{Region: r, Rules: 5, RequestsMillions: 10}, "16"},
		{"GuardDuty", GuardDuty{Region: r, CloudTrailEventsMillions: 2, FlowLogGB: 10}, "18"},
		{"Security Hub", SecurityHub{Region: r, Checks: 60000}, "60"},
		{"a Secrets Manager secret", SecretsManagerSecret{Region: r}, "0.4"},
		// 35 points of 1,000 GB, 14 of them in the free window: 21 full snapshots.
		{"home backup vault", BackupVault{Region: r, VolumeGB: 1000, RecoveryPoints: 35, FreePoints: 14}, "441"},
		{"home vault inside the free window", BackupVault{Region: r, VolumeGB: 1000, RecoveryPoints: 14, FreePoints: 14}, "0"},
		{"copy vault", BackupVault{Region: r, VolumeGB: 1000, RecoveryPoints: 3}, "63"},
		{"four full copies of 500 GB", BackupPlan{Region: r, VolumeGB: 500, CopiesPerMonth: 4}, "40"},
		{"headless global secondary", AuroraGlobalSecondary{Region: r, StorageGB: 1000, ReplicatedWriteIOMillions: 100, BackupGB: 1200}, "124.2"},
		{"S3 bucket", S3Bucket{Region: r, StoredGB: 100, PutRequests: 20000}, "2.4"},
		{"Config: 3,000 items, 60,000 evaluations", ConfigRecorder{Region: r, Items: 3000, RuleEvaluations: 60000}, "69"}, // 3000*0.003 + 60000*0.001
		{"100 GB crossing AZs, billed once on the instance's side", InterAZ{Region: r, Path: "a to b", CrossingGB: 100}, "1"},
		{"4,161,000 PutMetricData calls", MetricRequests{Region: r, Requests: 4161000}, "41.61"},
		{"GuardDuty RDS Protection on 8 vCPUs", GuardDutyFeature{Region: r, Name: "RDS_LOGIN_EVENTS", VCPUs: 8}, "8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := total(cat, tc.p)
			assert.True(t, got.Equal(decimal.RequireFromString(tc.want)), "got %s, want %s", got, tc.want)
			for _, c := range tc.p.Components(cat) {
				assert.True(t, c.PriceFound(), "%s: %s", c.Name, c.PriceKey)
			}
		})
	}
}

func TestInternetEgressTiers(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	for _, tc := range []struct {
		gb   float64
		want string
	}{
		{50, "0"},         // within the free 100 GB
		{1100, "90"},      // 1,000 GB at 0.09
		{20240, "1762.6"}, // 10,140 at 0.09 + 10,000 at 0.085
		{60000, "5010.2"}, // 10,140*0.09 + 40,960*0.085 + 8,800*0.07
	} {
		got, found := InternetEgress{Region: "us-east-1", TotalGB: tc.gb}.MonthlyCost(cat)
		assert.True(t, found)
		assert.True(t, got.Equal(decimal.RequireFromString(tc.want)), "%v GB: got %s, want %s", tc.gb, got, tc.want)
	}
	rate := InternetEgress{Region: "us-east-1", TotalGB: 1100}.BlendedRate(cat)
	require.NotNil(t, rate)
	assert.Equal(t, "0.0818", rate.USD.StringFixed(4))
	assert.Nil(t, InternetEgress{Region: "nowhere", TotalGB: 1100}.BlendedRate(cat), "no tier prices: not found, not zero")
}

func TestHelpers(t *testing.T) {
	assert.Equal(t, int64(2), DBInstanceVCPUs("db.t4g.medium"))
	assert.Equal(t, int64(2), DBInstanceVCPUs("db.r6g.large"))
	assert.Equal(t, int64(4), DBInstanceVCPUs("db.r6g.xlarge"))
	assert.Equal(t, int64(8), DBInstanceVCPUs("db.r6g.2xlarge"))
	assert.Equal(t, int64(64), DBInstanceVCPUs("db.r6g.16xlarge"))
	assert.InDelta(t, 12*0.15*10, StoredLogGB(10, 365, 0.15), 0.1)
	assert.InDelta(t, 100*(1+34*0.02), BackupStoredGB(100, 35, 0.02), 1e-9)
	assert.InDelta(t, 35, RecoveryPoints(35, 1), 1e-9)
	assert.InDelta(t, 3, RecoveryPoints(21, 7), 1e-9)
	assert.InDelta(t, 90/DaysPerMonth, RecoveryPoints(90, 30), 1e-9)
	assert.Zero(t, RecoveryPoints(35, 0))
	assert.InDelta(t, 730.0/24, CopiesPerMonth(1), 1e-9)
	assert.InDelta(t, 730.0/24/7, CopiesPerMonth(7), 1e-9)
	assert.Equal(t, 1.0, CopiesPerMonth(30))
	assert.Zero(t, CopiesPerMonth(0))
	for days, cron := range map[int]string{1: "cron(0 5 * * ? *)", 7: "cron(0 5 ? * SUN *)", 30: "cron(0 5 1 * ? *)"} {
		got, err := CopySchedule(days)
		require.NoError(t, err)
		assert.Equal(t, cron, got)
	}
	_, err := CopySchedule(14)
	assert.ErrorContains(t, err, "use 1, 7 or 30")
}

func TestFormatUSD(t *testing.T) {
	for in, want := range map[string]string{"0": "0.00", "5": "5.00", "999.999": "1,000.00", "45012.345": "45,012.35",
		"-1234.5": "-1,234.50", "1234567.891": "1,234,567.89", "-0.001": "0.00"} {
		assert.Equal(t, want, FormatUSD(decimal.RequireFromString(in)), in)
	}
}

// TestUnknownGuardDutyFeatureIsNotFree: a feature tenancy has no price for is
// "price not found", never $0.
func TestUnknownGuardDutyFeatureIsNotFree(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	comps := GuardDutyFeature{Region: "us-east-1", Name: "S3_DATA_EVENTS"}.Components(cat)
	require.Len(t, comps, 1)
	assert.False(t, comps[0].PriceFound())
}

// TestTrafficComponentsLandOnTheirLines: inter-AZ traffic is data transfer
// and metric calls are monitoring, whatever resource carries them.
func TestTrafficComponentsLandOnTheirLines(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	x := InterAZ{Region: "us-east-1", Path: "app servers to the NAT gateway", CrossingGB: 10, Driver: NATInternet}.Components(cat)
	require.Len(t, x, 1)
	assert.Equal(t, DataTransfer, x[0].Line)
	assert.Equal(t, NATInternet, x[0].Driver)
	assert.Equal(t, "10", x[0].Quantity.String(), "each crossing GB is billed once")
	assert.Equal(t, "inter-AZ transfer: app servers to the NAT gateway", x[0].Name)
	m := MetricRequests{Region: "us-east-1", Requests: 2000}.Components(cat)
	require.Len(t, m, 1)
	assert.Equal(t, Monitoring, m[0].Line)
	assert.Equal(t, CustomMetrics, m[0].Driver)
	assert.Equal(t, "2", m[0].Quantity.String())
}
