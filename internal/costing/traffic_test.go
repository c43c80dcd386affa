package costing

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
)

// quantity is the monthly quantity of the component of the resource whose
// URN ends with suffix, named name; it fails when there is none.
func quantity(t *testing.T, e *Estimate, suffix, name string) decimal.Decimal {
	t.Helper()
	for _, r := range e.Resources {
		if strings.HasSuffix(r.Name, suffix) {
			for _, c := range r.Components {
				if c.Name == name {
					require.True(t, c.PriceFound(), "%s %s has no price", suffix, name)
					return c.Quantity
				}
			}
			require.Failf(t, "no such component", "%s has no component %q", suffix, name)
		}
	}
	require.Failf(t, "no such resource", "no resource ends with %s", suffix)
	return decimal.Zero
}

// TestTrafficDrivenVolumes: flow logs, PostgreSQL log exports, inter-AZ
// traffic and PutMetricData calls follow what each resource carries, worked
// by hand from tenants/usage.yaml and prod's registry (shared: 20
// enterprise, 70 pro, 100 free; 850 million requests a month).
func TestTrafficDrivenVolumes(t *testing.T) {
	after := reportFor(t, "prod").After
	at := func(want string, got decimal.Decimal, what string) {
		t.Helper()
		assert.Equal(t, want, got.StringFixed(2), what)
	}
	// 255 million connections (850M x 0.3) x 6 records x 130 bytes, + 5 GB.
	at("203.90", quantity(t, after, "Network$aws:cloudwatch/logGroup:LogGroup::shared-flow-logs", "logs ingested"), "the shared VPC's flow logs")
	// An enterprise tenant's own VPC: 6 million connections.
	at("9.68", quantity(t, after, "Network$aws:cloudwatch/logGroup:LogGroup::oak-realty-flow-logs", "logs ingested"), "a dedicated VPC's flow logs")
	// GuardDuty analyses the same flows: the shared VPC's and the 10
	// dedicated ones'.
	var dedicatedFlows decimal.Decimal
	for _, r := range after.Resources {
		if r.Tenant != "" && strings.HasSuffix(r.Name, "-flow-logs") && r.Type == "aws:cloudwatch/logGroup:LogGroup" {
			dedicatedFlows = dedicatedFlows.Add(r.Components[0].Quantity)
		}
	}
	at(decimal.RequireFromString("203.9").Add(dedicatedFlows).StringFixed(2),
		quantity(t, after, "aws:guardduty/detector:Detector::account-baseline-guardduty", "VPC flow and DNS logs analysed"), "GuardDuty reads every VPC's flows")

	// PostgreSQL exports: 2 instances x 1 GB + 850M requests x 0.02 GB per million.
	at("19.00", quantity(t, after, "aws:cloudwatch/logGroup:LogGroup::shared-db-logs", "logs ingested"), "the shared cluster's PostgreSQL log")
	at("1.40", quantity(t, after, "aws:cloudwatch/logGroup:LogGroup::oak-realty-db-logs", "logs ingested"), "a dedicated instance's PostgreSQL log")

	// Inter-AZ, each crossing GB billed once, on the instance's side: half of
	// the app tier (2 AZs, one NAT, one writer, one primary) crosses to each.
	asg := "aws:autoscaling/group:Group::shared-app"
	nat := quantity(t, after, "aws:ec2/natGateway:NatGateway::shared-nat-0", "data processed")
	at(nat.Div(decimal.NewFromInt(2)).StringFixed(2), quantity(t, after, asg, "inter-AZ transfer: app servers to the NAT gateway"), "half the NAT's traffic crosses")
	at("4250.00", quantity(t, after, asg, "inter-AZ transfer: app servers to the database writer"), "850M requests x 10 KB, half crossing")
	at("1700.00", quantity(t, after, asg, "inter-AZ transfer: app servers to the Redis primary"), "850M requests x 4 KB, half crossing")
	// A dedicated server shares its NAT's AZ: only its database and cache cross.
	oak := "aws:ec2/instance:Instance::oak-realty-app"
	at("100.00", quantity(t, after, oak, "inter-AZ transfer: app servers to the database writer"), "20M requests x 10 KB, half crossing")
	for _, r := range after.Resources {
		if strings.HasSuffix(r.Name, oak) {
			for _, c := range r.Components {
				assert.NotEqual(t, "inter-AZ transfer: app servers to the NAT gateway", c.Name)
			}
		}
	}

	// PutMetricData: 1,900 metrics every 60 s, 20 a call: 4,161 thousand calls.
	at("4161.00", quantity(t, after, asg, "PutMetricData requests (custom metrics)"), "the shared tier's metric calls")
	var metricCalls decimal.Decimal
	for _, r := range after.Resources {
		for _, c := range r.Components {
			if c.PriceKey.String() == "cloudwatch:requests" {
				assert.Equal(t, cost.Monitoring, r.LineOf(c))
				metricCalls = metricCalls.Add(c.MonthlyCost())
			}
		}
	}
	assert.True(t, metricCalls.GreaterThan(decimal.NewFromInt(41)), "priced: %s", metricCalls)
}
