package offline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/components"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestAccountBaseline: prod's baseline has one multi-region, validated,
// encrypted trail in a locked bucket and its log group; every CIS filter
// with an alarm to the security topic; the finding routes to that topic,
// each watched for failed deliveries; and the topic and key let exactly
// those services in.
func TestAccountBaseline(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	trail := one(t, p.Custom("aws:cloudtrail/trail:Trail"))
	for _, k := range []string{"isMultiRegionTrail", "includeGlobalServiceEvents", "enableLogFileValidation", "enableLogging"} {
		assert.Equal(t, true, trail.Input(k), k)
	}
	assert.Equal(t, "tenancy-prod", trail.Input("name"))
	assert.True(t, strings.HasSuffix(fmt.Sprint(trail.Input("cloudWatchLogsGroupArn")), ":*"), "CloudTrail wants the group's ARN with :*")
	lock := one(t, p.Custom("aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"))
	assert.Equal(t, map[string]any{"mode": "COMPLIANCE", "days": float64(components.TrailBucketDays)}, obj(obj(lock.Input("rule"))["defaultRetention"]))

	topic := one(t, where(p.Custom("aws:sns/topic:Topic"), func(r Resource) bool { return r.Name == "account-baseline-security" }))
	topicARN := "arn:aws:sns:us-east-1:123456789012:topic/" + topic.Name
	filters := map[string]bool{}
	for _, f := range p.Custom("aws:cloudwatch/logMetricFilter:LogMetricFilter") {
		assert.Equal(t, components.TrailLogGroupName("prod"), f.Input("logGroupName"))
		filters[fmt.Sprint(f.Input("name"))] = true
	}
	alarmed := map[string]bool{}
	for _, a := range p.Custom("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if ns := a.Input("namespace"); ns == components.SecurityMetricNamespace || ns == "AWS/Events" {
			assert.Equal(t, []any{topicARN}, a.Input("alarmActions"), a.Name)
			alarmed[fmt.Sprint(a.Input("metricName"))+"/"+fmt.Sprint(obj(a.Input("dimensions"))["RuleName"])] = true
		}
	}
	for _, f := range components.CISMetricFilters {
		assert.True(t, filters[f.Name], "filter %s", f.Name)
		assert.True(t, alarmed[f.Name+"/<nil>"], "alarm %s", f.Name)
	}
	rules := p.Custom("aws:cloudwatch/eventRule:EventRule")
	require.Len(t, rules, len(components.FindingRoutes))
	for _, r := range rules {
		assert.True(t, alarmed["FailedInvocations/"+fmt.Sprint(r.Input("name"))], "failed deliveries of %s are alarmed", r.Name)
	}
	for _, tg := range p.Custom("aws:cloudwatch/eventTarget:EventTarget") {
		assert.Equal(t, topicARN, tg.Input("arn"))
	}

	policy := obj(jsonDoc(t, one(t, p.Custom("aws:sns/topicPolicy:TopicPolicy")).Input("policy")))
	publish := obj(arr(policy["Statement"])[1])
	assert.Equal(t, []any{"arn:aws:events:us-east-1:123456789012:rule/tenancy-prod-*", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:tenancy-prod-*"},
		obj(obj(publish["Condition"])["ArnLike"])["aws:SourceArn"])

	key := one(t, where(p.Custom("aws:kms/key:Key"), func(r Resource) bool { return r.Name == "account-baseline" }))
	sids := map[string]map[string]any{}
	for _, st := range arr(obj(jsonDoc(t, key.Input("policy")))["Statement"]) {
		sids[fmt.Sprint(obj(st)["Sid"])] = obj(st)
	}
	assert.Equal(t, "arn:aws:cloudtrail:us-east-1:123456789012:trail/tenancy-prod",
		obj(obj(sids["CloudTrailEncryptsItsLogs"]["Condition"])["StringEquals"])["aws:SourceArn"])
	assert.Nil(t, sids["EventBridgeToSNS"]["Condition"], "EventBridge's KMS calls carry no source: a condition would never match")

	delivery := one(t, p.Custom("aws:cloudwatch/logResourcePolicy:LogResourcePolicy"))
	st := obj(arr(obj(jsonDoc(t, delivery.Input("policyDocument")))["Statement"])[0])
	assert.Equal(t, "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-tenancy-prod-*:log-stream:*", st["Resource"])
	for _, l := range p.Custom("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration") {
		filter := obj(l.Input("loggingFilter"))
		assert.Equal(t, "DROP", filter["defaultBehavior"], l.Name)
		assert.Len(t, arr(l.Input("redactedFields")), 2, l.Name)
	}
}
