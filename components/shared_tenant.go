package components

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/tenancy-dev/tenancy/stacks"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TenantMetricNamespace is where the application publishes per-tenant metrics
// (dimensions TenantId and Tier), as in the article.
const TenantMetricNamespace = "SaaS/Tenant"

// TenantLimits and AlarmThresholds are the config's (stacks.TierLimits,
// stacks.TierAlarms).
type (
	TenantLimits    = stacks.TenantLimits
	AlarmThresholds = stacks.AlarmThresholds
)

// SharedTenantArgs describes one tenant served by the shared tier.
type SharedTenantArgs struct {
	ID     string
	Tier   string
	Host   string // <id>.<domain>
	Limits TenantLimits
	Alarms AlarmThresholds

	// Set by the shared tier.
	Stack         string
	AuditLogGroup pulumi.StringOutput
	AlarmTopicARN pulumi.StringOutput
}

// SharedTenant is a tenant's footprint on the shared tier: its audit log
// stream, its alarms, and its published limits.
type SharedTenant struct {
	pulumi.ResourceState

	LimitsParameter pulumi.StringOutput `pulumi:"limitsParameter"`
}

// LimitsParameterPrefix is where a stack publishes tenant limits in SSM.
func LimitsParameterPrefix(stack string) string { return fmt.Sprintf("/tenancy/%s/tenants/", stack) }

// NewSharedTenant registers one shared tenant.
func NewSharedTenant(ctx *pulumi.Context, name string, args *SharedTenantArgs, opts ...pulumi.ResourceOption) (*SharedTenant, error) {
	if args == nil {
		return nil, errors.New("shared tenant: args are required")
	}
	c := &SharedTenant{}
	if err := ctx.RegisterComponentResource("tenancy:index:SharedTenant", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	tagMap := map[string]string{TagTenantID: args.ID, "Tier": args.Tier}

	if _, err := cloudwatch.NewLogStream(ctx, name+"-audit", &cloudwatch.LogStreamArgs{
		LogGroupName: args.AuditLogGroup, Name: pulumi.String("tenant-" + args.ID),
	}, parent); err != nil {
		return nil, fmt.Errorf("tenant %s: audit stream: %w", args.ID, err)
	}
	dims := pulumi.StringMap{"TenantId": pulumi.String(args.ID), "Tier": pulumi.String(args.Tier)}
	alarms := []struct {
		suffix, metric, desc string
		threshold            float64
		statistic, extended  string
	}{
		{"high-error-rate", "ErrorRate", "error rate above %g", args.Alarms.ErrorRate, "Average", ""},
		{"high-latency", "ResponseTime", "p95 response time above %g ms", args.Alarms.LatencyMs, "", "p95"},
	}
	for _, a := range alarms {
		alarm := &cloudwatch.MetricAlarmArgs{
			Name:             pulumi.String(fmt.Sprintf("tenancy-%s-tenant-%s-%s", args.Stack, args.ID, a.suffix)),
			AlarmDescription: pulumi.String(fmt.Sprintf("tenant %s (%s): "+a.desc, args.ID, args.Tier, a.threshold)),
			Namespace:        pulumi.String(TenantMetricNamespace), MetricName: pulumi.String(a.metric), Dimensions: dims,
			ComparisonOperator: pulumi.String("GreaterThanThreshold"), Threshold: pulumi.Float64(a.threshold),
			EvaluationPeriods: pulumi.Int(2), Period: pulumi.Int(300), TreatMissingData: pulumi.String("notBreaching"),
			AlarmActions: pulumi.Array{args.AlarmTopicARN}, OkActions: pulumi.Array{args.AlarmTopicARN},
			Tags: tags(tagMap),
		}
		if a.statistic != "" {
			alarm.Statistic = pulumi.String(a.statistic)
		} else {
			alarm.ExtendedStatistic = pulumi.String(a.extended)
		}
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+a.suffix, alarm, parent); err != nil {
			return nil, fmt.Errorf("tenant %s: alarm %s: %w", args.ID, a.suffix, err)
		}
	}
	limits, err := json.Marshal(struct {
		TenantID string `json:"tenantId"`
		Tier     string `json:"tier"`
		TenantLimits
	}{args.ID, args.Tier, args.Limits})
	if err != nil {
		return nil, err
	}
	param, err := ssm.NewParameter(ctx, name+"-limits", &ssm.ParameterArgs{
		Name: pulumi.String(LimitsParameterPrefix(args.Stack) + args.ID + "/limits"), Type: pulumi.String("String"),
		// Limits are no secret: insecureValue keeps them readable in
		// previews and plans, so a reviewer sees a limit change.
		InsecureValue: pulumi.String(string(limits)), Tier: pulumi.String("Standard"),
		Description: pulumi.String("per-tier limits the application enforces for tenant " + args.ID), Tags: tags(tagMap),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("tenant %s: limits: %w", args.ID, err)
	}
	c.LimitsParameter = param.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"limitsParameter": c.LimitsParameter})
}
