package offline

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/components"
	"github.com/tenancy-dev/tenancy/policies/rules"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestResourceCounts checks, for dev and prod in each topology, how many of
// each resource the program registers, derived from the registry and config.
func TestResourceCounts(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		for _, topo := range stacks.Topologies {
			t.Run(stack+"/"+string(topo), func(t *testing.T) {
				p := planFor(t, stack, topo)
				cfg := p.Config
				d, s := len(cfg.DedicatedTenants()), len(cfg.SharedTenants())
				shared := 0
				if s > 0 {
					shared = 1
				}
				dr, baseline, services := 0, 0, 0
				if cfg.DR.Strategy != "none" {
					dr = shared
				}
				if cfg.BaselineHere() {
					baseline = 1
					if cfg.SecurityServices {
						services = 1
					}
				}
				backups := 0 // the dedicated databases' plan
				if d > 0 {
					backups = 1
				}
				got := p.CountByType()
				want := map[string]int{
					"aws:lb/loadBalancer:LoadBalancer":                  d + shared,
					"aws:ec2/natGateway:NatGateway":                     d + shared,
					"aws:ec2/vpc:Vpc":                                   d + shared,
					"aws:ec2/instance:Instance":                         d,
					"aws:rds/instance:Instance":                         d,
					"aws:elasticache/replicationGroup:ReplicationGroup": d + shared,
					"aws:autoscaling/group:Group":                       shared,
					"aws:rds/cluster:Cluster":                           shared,
					"aws:rds/clusterInstance:ClusterInstance":           shared * cfg.Shared.DBInstances,
					"aws:rds/proxy:Proxy":                               shared,
					"aws:cloudwatch/logStream:LogStream":                s,
					"aws:cloudwatch/metricAlarm:MetricAlarm":            2*s + baseline*len(components.CISMetricFilters) + services*len(components.FindingRoutes),
					"aws:cloudwatch/logMetricFilter:LogMetricFilter":    baseline * len(components.CISMetricFilters),
					"aws:cloudtrail/trail:Trail":                        baseline,
					"aws:cloudwatch/eventRule:EventRule":                services * len(components.FindingRoutes),
					"aws:ssm/parameter:Parameter":                       s,
					// platform, tenant data, DR copy, baseline, backup vault
					"aws:kms/key:Key":                 d + 2*shared + dr + baseline + backups,
					"aws:route53/record:Record":       1 + d + shared,
					"aws:acm/certificate:Certificate": 1,
					"aws:wafv2/webAcl:WebAcl":         d + shared,
					"aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": d + shared,
					"aws:guardduty/detector:Detector":                                 services,
					"aws:securityhub/standardsSubscription:StandardsSubscription":     services,
					"aws:backup/plan:Plan":                                            shared + backups, // the shared cluster's, whatever its DR
					"aws:backup/vaultLockConfiguration:VaultLockConfiguration": shared + backups + dr - func() int {
						if cfg.DR.Strategy == "global-database" {
							return shared // a secondary cluster, no copy vault
						}
						return 0
					}(),
				}
				for typ, n := range want {
					assert.Equal(t, n, got[typ], typ)
				}
				comps := map[string]int{}
				for _, r := range p.Resources {
					if !r.Custom {
						comps[r.Type]++
					}
				}
				assert.Equal(t, d, comps[TypeDedicatedTenant])
				assert.Equal(t, s, comps[TypeSharedTenant])
				assert.Equal(t, shared, comps[TypeSharedTier])
			})
		}
	}
}

// TestProdHybridIsTheArticle pins the figures the article and the issue name.
func TestProdHybridIsTheArticle(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	got := p.CountByType()
	assert.Equal(t, 1, got["aws:autoscaling/group:Group"])
	assert.Equal(t, 2, got["aws:rds/clusterInstance:ClusterInstance"])
	assert.Equal(t, 11, got["aws:lb/loadBalancer:LoadBalancer"], "one shared ALB and one per dedicated tenant")
	assert.Equal(t, 11, got["aws:ec2/natGateway:NatGateway"], "one shared NAT and one per dedicated tenant")
	assert.Equal(t, 190, got["aws:cloudwatch/logStream:LogStream"])
	assert.Equal(t, 10, got["aws:ec2/instance:Instance"])

	mi := planFor(t, "prod", stacks.MultiInstance)
	assert.Equal(t, 200, len(mi.CountByTenant()))
	assert.Zero(t, mi.CountByType()["aws:autoscaling/group:Group"], "no shared tier")
	assert.Equal(t, 200, mi.CountByType()["aws:lb/loadBalancer:LoadBalancer"])
}

func TestSharedTierProperties(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	inShared := func(r Resource) bool { return p.InSharedTier(r) }

	lt := one(t, where(p.Custom("aws:ec2/launchTemplate:LaunchTemplate"), inShared))
	assert.Equal(t, "m5.2xlarge", lt.Input("instanceType"))
	assert.True(t, strings.HasPrefix(lt.Input("imageId").(string), "resolve:ssm:/aws/service/ami-amazon-linux-latest/"), "AMI resolved by EC2 at launch")
	md := obj(lt.Input("metadataOptions"))
	assert.Equal(t, "required", md["httpTokens"], "IMDSv2 only")
	assert.EqualValues(t, 1, md["httpPutResponseHopLimit"])
	ni := obj(arr(lt.Input("networkInterfaces"))[0])
	assert.Equal(t, "false", ni["associatePublicIpAddress"])
	ebs := obj(obj(arr(lt.Input("blockDeviceMappings"))[0])["ebs"])
	assert.Equal(t, "true", ebs["encrypted"])
	assert.NotEmpty(t, ebs["kmsKeyId"])

	asg := one(t, p.Custom("aws:autoscaling/group:Group"))
	assert.EqualValues(t, 4, asg.Input("minSize"))
	assert.EqualValues(t, 6, asg.Input("desiredCapacity"))
	assert.EqualValues(t, 8, asg.Input("maxSize"))
	assert.Equal(t, "ELB", asg.Input("healthCheckType"))
	assert.Contains(t, asg.IgnoreChanges, "desiredCapacity", "scaling owns the size after the first deploy")
	pol := one(t, p.Custom("aws:autoscaling/policy:Policy"))
	assert.Equal(t, "TargetTrackingScaling", pol.Input("policyType"))

	cl := one(t, p.Custom("aws:rds/cluster:Cluster"))
	assert.Equal(t, "aurora-postgresql", cl.Input("engine"))
	assert.Equal(t, true, cl.Input("storageEncrypted"))
	assert.NotEmpty(t, cl.Input("kmsKeyId"))
	assert.Equal(t, true, cl.Input("iamDatabaseAuthenticationEnabled"))
	assert.Equal(t, []any{"postgresql"}, cl.Input("enabledCloudwatchLogsExports"))
	assert.GreaterOrEqual(t, cl.Input("backupRetentionPeriod"), float64(7))
	assert.Equal(t, true, cl.Input("deletionProtection"))
	assert.Equal(t, false, cl.Input("skipFinalSnapshot"))
	assert.Equal(t, "tenancy-prod-shared-db-final", cl.Input("finalSnapshotIdentifier"))
	assert.Equal(t, true, cl.Input("manageMasterUserPassword"), "RDS keeps the master password in Secrets Manager")
	assert.Nil(t, cl.Input("masterPassword"), "no password in config or state")
	assert.True(t, cl.Protect && cl.RetainOnDelete, "prod protects the shared database")

	insts := p.Custom("aws:rds/clusterInstance:ClusterInstance")
	require.Len(t, insts, 2)
	assert.NotEqual(t, insts[0].Input("availabilityZone"), insts[1].Input("availabilityZone"), "writer and reader in different AZs")
	for _, ci := range insts {
		assert.Equal(t, "db.r6g.xlarge", ci.Input("instanceClass"))
		assert.Equal(t, false, ci.Input("publiclyAccessible"))
		assert.EqualValues(t, 60, ci.Input("monitoringInterval"))
	}
	proxy := one(t, p.Custom("aws:rds/proxy:Proxy"))
	assert.Equal(t, true, proxy.Input("requireTls"))
	assert.Equal(t, "REQUIRED", obj(arr(proxy.Input("auths"))[0])["iamAuth"])

	rg := one(t, where(p.Custom("aws:elasticache/replicationGroup:ReplicationGroup"), inShared))
	assert.EqualValues(t, 3, rg.Input("numCacheClusters"))
	for _, k := range []string{"automaticFailoverEnabled", "multiAzEnabled", "atRestEncryptionEnabled", "transitEncryptionEnabled"} {
		assert.Equal(t, true, rg.Input(k), k)
	}
	assert.Nil(t, rg.Input("authToken"), "no static token: RBAC with IAM logins (TestCachesLogInWithIAM)")
	assert.Equal(t, []any{"tenancy-prod-shared"}, rg.Input("userGroupIds"))
	assert.True(t, rg.Protect)

	alb := one(t, where(p.Custom("aws:lb/loadBalancer:LoadBalancer"), inShared))
	assert.Equal(t, true, alb.Input("dropInvalidHeaderFields"))
	assert.Equal(t, "defensive", alb.Input("desyncMitigationMode"))
	assert.Equal(t, true, alb.Input("enableDeletionProtection"))
	assert.Equal(t, true, obj(alb.Input("accessLogs"))["enabled"])
	listeners := where(p.Custom("aws:lb/listener:Listener"), inShared)
	require.Len(t, listeners, 2)
	for _, l := range listeners {
		action := obj(arr(l.Input("defaultActions"))[0])
		switch l.Input("protocol") {
		case "HTTPS":
			assert.Equal(t, components.TLSPolicy, l.Input("sslPolicy"))
			assert.NotEmpty(t, l.Input("certificateArn"))
			assert.Equal(t, "forward", action["type"])
		case "HTTP":
			assert.Equal(t, "redirect", action["type"])
			assert.Equal(t, "HTTPS", obj(action["redirect"])["protocol"])
		default:
			t.Errorf("unexpected listener protocol %v", l.Input("protocol"))
		}
	}
}

func TestTenantDataKeyNeedsTenantContext(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	key := one(t, where(p.Custom("aws:kms/key:Key"), func(r Resource) bool { return strings.HasSuffix(r.Name, "-tenant-data") }))
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.EqualValues(t, 30, key.Input("deletionWindowInDays"))
	assert.True(t, key.Protect)
	session := "arn:aws:iam::123456789012:role/shared-tenant-session"
	byID := map[string]map[string]any{}
	for _, st := range arr(obj(jsonDoc(t, key.Input("policy")))["Statement"]) {
		byID[obj(st)["Sid"].(string)] = obj(st)
	}
	admin := byID["AccountAdministersOnly"]
	require.NotNil(t, admin, "the account administers the key")
	for _, a := range arr(admin["Action"]) {
		assert.NotContains(t, []string{"kms:*", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey*", "kms:ReEncrypt*"}, a,
			"the account's IAM must not be able to use the key")
	}
	use := byID["TenantSessionsUseTheirTenantsDataKeys"]
	require.NotNil(t, use)
	assert.Equal(t, session, obj(use["Principal"])["AWS"], "only tenant-tagged sessions use the key")
	assert.NotContains(t, arr(use["Action"]), "kms:Encrypt", "tenants get data keys, not raw encryption")
	assert.Equal(t, "${aws:PrincipalTag/tenant_id}", obj(obj(use["Condition"])["StringEquals"])["kms:EncryptionContext:tenant_id"],
		"a session gets only its own tenant's data keys")
	noContext := byID["DenyWithoutTenantContext"]
	require.NotNil(t, noContext)
	assert.Equal(t, "Deny", noContext["Effect"])
	assert.Equal(t, "true", obj(obj(noContext["Condition"])["Null"])["kms:EncryptionContext:tenant_id"])
	others := byID["DenyEveryOtherPrincipal"]
	require.NotNil(t, others)
	assert.Equal(t, "Deny", others["Effect"])
	assert.Equal(t, session, obj(obj(others["Condition"])["ArnNotEquals"])["aws:PrincipalArn"])

	grants := byID["DenyGrants"]
	require.NotNil(t, grants, "a grant would carry no tenant condition")
	assert.Equal(t, "Deny", grants["Effect"])
	assert.Equal(t, "kms:CreateGrant", grants["Action"])
	assert.NotContains(t, arr(admin["Action"]), "kms:Create*")

	role := one(t, where(p.Custom("aws:iam/role:Role"), func(r Resource) bool { return r.Name == "shared-tenant-session" }))
	trust := obj(arr(obj(jsonDoc(t, role.Input("assumeRolePolicy")))["Statement"])[0])
	assert.Equal(t, "arn:aws:iam::123456789012:role/shared-app", obj(trust["Principal"])["AWS"], "only the app tier assumes it")
	assert.Equal(t, "?*", obj(obj(trust["Condition"])["StringLike"])["aws:RequestTag/tenant_id"], "only with a tenant_id tag")
}

// TestAppRolesAreScoped: no app role, shared or dedicated, in any topology
// has an AWS managed policy, or a wildcard resource on logs, SSM or
// rds-db:connect, or may create, delete or re-time a log group.
func TestAppRolesAreScoped(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		for _, topo := range stacks.Topologies {
			p := planFor(t, stack, topo)
			apps := map[string]bool{}
			for _, r := range p.Custom("aws:iam/role:Role") {
				if strings.Contains(r.Input("assumeRolePolicy").(string), "ec2.amazonaws.com") {
					apps[r.Name] = true
				}
			}
			require.NotEmpty(t, apps)
			for _, a := range p.Custom("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
				assert.False(t, apps[fmt.Sprint(a.Input("role"))], "%s/%s: %s attaches %v to an app role", stack, topo, a.Name, a.Input("policyArn"))
			}
			policies := 0
			for _, rp := range p.Custom("aws:iam/rolePolicy:RolePolicy") {
				if !apps[strings.TrimSuffix(fmt.Sprint(rp.Input("role")), "-id")] {
					continue
				}
				policies++
				for _, st := range arr(obj(jsonDoc(t, rp.Input("policy")))["Statement"]) {
					st := obj(st)
					actions := fmt.Sprint(st["Action"])
					for _, banned := range []string{"logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DeleteLogGroup"} {
						assert.NotContains(t, actions, banned, "%s/%s %s", stack, topo, rp.Name)
					}
					resources := fmt.Sprint(st["Resource"])
					for _, scoped := range []string{"logs:", "ssm:", "rds-db:"} {
						if strings.Contains(actions, scoped) {
							assert.NotEqual(t, "*", resources, "%s/%s %s: %s on *", stack, topo, rp.Name, actions)
							assert.NotContains(t, resources, "dbuser:*", "%s/%s %s", stack, topo, rp.Name)
						}
					}
				}
			}
			assert.Equal(t, len(apps), policies, "%s/%s: every app role has its scoped policy", stack, topo)
		}
	}
}

func TestPerTenantAuditAlarmsAndLimits(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	audit := one(t, where(p.Custom("aws:cloudwatch/logGroup:LogGroup"), func(r Resource) bool { return r.Input("name") == components.AuditLogGroupName }))
	assert.GreaterOrEqual(t, audit.Input("retentionInDays"), float64(365))
	assert.NotEmpty(t, audit.Input("kmsKeyId"))
	assert.True(t, audit.Protect)

	tier := map[string]stacks.Tier{}
	for _, tn := range p.Config.Tenants {
		tier[tn.ID] = tn.Tier
	}
	streams := map[string]bool{}
	for _, s := range p.Custom("aws:cloudwatch/logStream:LogStream") {
		id, placement := p.TenantOf(s)
		assert.Equal(t, stacks.Shared, placement)
		assert.Equal(t, "tenant-"+id, s.Input("name"))
		streams[id] = true
	}
	for _, tn := range p.Config.SharedTenants() {
		assert.True(t, streams[tn.ID], "stream for %s", tn.ID)
	}
	for _, a := range p.Custom("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if ns := a.Input("namespace"); ns == components.SecurityMetricNamespace || ns == "AWS/Events" {
			continue // the account baseline's alarms
		}
		id, _ := p.TenantOf(a)
		want := stacks.TierAlarms[tier[id]]
		switch a.Input("metricName") {
		case "ErrorRate":
			assert.Equal(t, want.ErrorRate, a.Input("threshold"), id)
			assert.Equal(t, fmt.Sprintf("tenancy-prod-tenant-%s-high-error-rate", id), a.Input("name"))
		case "ResponseTime":
			assert.Equal(t, want.LatencyMs, a.Input("threshold"), id)
		default:
			t.Errorf("unexpected alarm metric %v", a.Input("metricName"))
		}
		assert.Equal(t, map[string]any{"TenantId": id, "Tier": string(tier[id])}, a.Input("dimensions"))
		assert.Len(t, arr(a.Input("alarmActions")), 1)
	}
	for _, prm := range p.Custom("aws:ssm/parameter:Parameter") {
		id, _ := p.TenantOf(prm)
		assert.Equal(t, "/tenancy/prod/tenants/"+id+"/limits", prm.Input("name"))
		assert.Nil(t, prm.Input("value"), "not the secret-by-schema value")
		limits := obj(jsonDoc(t, prm.Input("insecureValue")))
		want := stacks.TierLimits[tier[id]]
		assert.EqualValues(t, want.APIRatePerMinute, limits["apiRatePerMinute"], id)
		assert.EqualValues(t, want.MaxDBConnections, limits["maxDbConnections"], id)
		assert.Equal(t, string(tier[id]), limits["tier"])
	}
}

func TestEdgeRateLimitsPerTier(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	acl := one(t, where(p.Custom("aws:wafv2/webAcl:WebAcl"), func(r Resource) bool { return r.Name == "shared-edge" }))
	rules := arr(jsonDoc(t, acl.Input("ruleJson")))
	limits := map[string]float64{}
	hosts := 0
	for _, r := range rules {
		r := obj(r)
		rate := obj(obj(r["Statement"])["RateBasedStatement"])
		if rate == nil || r["Name"] == "ip-rate" {
			continue
		}
		tier := strings.TrimPrefix(r["Name"].(string), "tenant-rate-")
		limits[tier] = rate["Limit"].(float64)
		assert.EqualValues(t, 60, rate["EvaluationWindowSec"])
		assert.Equal(t, "host", obj(obj(arr(rate["CustomKeys"])[0])["Header"])["Name"], "counted per tenant host")
		scope := obj(rate["ScopeDownStatement"])
		if or := obj(scope["OrStatement"]); or != nil {
			hosts += len(arr(or["Statements"]))
		} else {
			hosts++
		}
	}
	assert.Equal(t, map[string]float64{"free": 100, "pro": 1000, "enterprise": 10000}, limits)
	assert.Equal(t, 190, hosts, "every shared tenant's host is in exactly one tier rule")
	one(t, where(p.Custom("aws:wafv2/webAclAssociation:WebAclAssociation"), func(r Resource) bool { return r.Name == "shared-edge" }))

	byName := map[string]map[string]any{}
	for _, r := range rules {
		byName[obj(r)["Name"].(string)] = obj(r)
	}
	require.Contains(t, byName, "AWSManagedRulesSQLiRuleSet")
	ipRate := obj(obj(byName["ip-rate"]["Statement"])["RateBasedStatement"])
	assert.Equal(t, "IP", ipRate["AggregateKeyType"])
	assert.EqualValues(t, 10000, ipRate["Limit"], "no address sends more than a whole enterprise tenant")
	canonical := byName["canonical-host"]
	require.NotNil(t, canonical)
	assert.Contains(t, canonical["Action"], "Block")
	assert.Less(t, canonical["Priority"], byName["tenant-rate-free"]["Priority"], "refused before it is counted")
	pattern := obj(obj(obj(canonical["Statement"])["NotStatement"])["Statement"])["RegexMatchStatement"]
	re := regexp.MustCompile(obj(pattern)["RegexString"].(string))
	for _, h := range []string{"acme-clinic.app.example.com", "a1.app.example.com"} {
		assert.True(t, re.MatchString(h), "%s is served", h)
	}
	for _, h := range []string{"ACME-clinic.app.example.com", "acme-clinic.app.example.com:443", "shared-alb-1234567890.us-east-1.elb.amazonaws.com",
		"acme-clinic.app.example.com.evil.example", "acme--clinic.app.example.com", "x.appXexample.com", ""} {
		assert.False(t, re.MatchString(h), "%q is refused", h)
	}
}

func TestBackupCopiesToSecondRegion(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	plan := one(t, where(p.Custom("aws:backup/plan:Plan"), func(r Resource) bool { return r.Name == "shared-backup" }))
	rule := obj(arr(plan.Input("rules"))[0])
	copyTo := obj(arr(rule["copyActions"])[0])
	assert.Contains(t, copyTo["destinationVaultArn"], "shared-dr")
	var providers []Resource
	for _, r := range p.Resources {
		if r.Type == "pulumi:providers:aws" {
			providers = append(providers, r)
		}
	}
	require.Len(t, providers, 1)
	assert.Equal(t, "us-west-2", providers[0].Input("region"))
	drVault := one(t, where(p.Custom("aws:backup/vault:Vault"), func(r Resource) bool { return r.Name == "shared-dr" }))
	assert.True(t, strings.HasPrefix(drVault.Provider, "urn:pulumi:prod::tenancy::tenancy:index:SharedTier$pulumi:providers:aws::shared-dr::"), drVault.Provider)
	sel := one(t, where(p.Custom("aws:backup/selection:Selection"), func(r Resource) bool { return r.Name == "shared-backup" }))
	assert.Equal(t, map[string]any{"key": components.DatabaseBackupTag, "type": "STRINGEQUALS", "value": "tenancy-prod-shared"}, obj(arr(sel.Input("selectionTags"))[0]))
	cluster := one(t, p.Custom("aws:rds/cluster:Cluster"))
	assert.Equal(t, "tenancy-prod-shared", obj(cluster.Input("tags"))[components.DatabaseBackupTag], "the selection reaches the cluster by its tag")
}

func TestSecurityServicesFollowTheSwitch(t *testing.T) {
	prod := planFor(t, "prod", stacks.Hybrid)
	sub := one(t, prod.Custom("aws:securityhub/standardsSubscription:StandardsSubscription"))
	assert.Contains(t, sub.Input("standardsArn"), "aws-foundational-security-best-practices")
	assert.Empty(t, planFor(t, "dev", stacks.Hybrid).Custom("aws:guardduty/detector:Detector"), "dev turns them off")
}

func TestNetworkIsClosedByDefault(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	inShared := func(r Resource) bool { return p.InSharedTier(r) }
	subnets := where(p.Custom("aws:ec2/subnet:Subnet"), inShared)
	assert.Len(t, subnets, 6, "public, private and isolated in each of 2 AZs")
	azs := map[any]bool{}
	for _, s := range subnets {
		assert.Equal(t, false, s.Input("mapPublicIpOnLaunch"))
		azs[s.Input("availabilityZone")] = true
	}
	assert.Len(t, azs, 2)
	ep := one(t, where(p.Custom("aws:ec2/vpcEndpoint:VpcEndpoint"), inShared))
	assert.Equal(t, "com.amazonaws.us-east-1.s3", ep.Input("serviceName"))
	assert.Equal(t, "Gateway", ep.Input("vpcEndpointType"))
	assert.Equal(t, []any{"shared-private-rt-0-id", "shared-private-rt-1-id"}, ep.Input("routeTableIds"),
		"the private route tables only: the isolated subnets reach nothing")
	epPolicy := map[string]map[string]any{}
	for _, st := range arr(obj(jsonDoc(t, ep.Input("policy")))["Statement"]) {
		epPolicy[obj(st)["Sid"].(string)] = obj(st)
	}
	assert.Equal(t, "123456789012", obj(obj(epPolicy["OwnBuckets"]["Condition"])["StringEquals"])["aws:ResourceAccount"],
		"the account's own buckets, no one else's")
	assert.Equal(t, "s3:GetObject", epPolicy["AWSPackagesAndAgents"]["Action"], "AWS's package and agent buckets, read only")
	fl := one(t, where(p.Custom("aws:ec2/flowLog:FlowLog"), inShared))
	assert.Equal(t, "ALL", fl.Input("trafficType"))
	dsg := one(t, where(p.Custom("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"), inShared))
	assert.Nil(t, dsg.Input("ingress"))
	assert.Nil(t, dsg.Input("egress"))
	for _, rule := range p.Custom("aws:ec2/securityGroupRule:SecurityGroupRule") {
		if rule.Input("type") == "ingress" && rule.Input("cidrBlocks") != nil {
			assert.Contains(t, []any{float64(80), float64(443)}, rule.Input("fromPort"), "only the ALB takes traffic from the internet: %s", rule.Name)
			assert.True(t, strings.HasSuffix(rule.Name, "-alb-https") || strings.HasSuffix(rule.Name, "-alb-http"), rule.Name)
		}
	}
}

func TestDedicatedTenantIsTheArticlesStack(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	for _, tc := range p.CountByTenant() {
		if tc.Placement != stacks.Dedicated {
			continue
		}
		t.Run(tc.ID, func(t *testing.T) {
			assert.Equal(t, 1, tc.ByType["aws:ec2/instance:Instance"])
			assert.Equal(t, 1, tc.ByType["aws:rds/instance:Instance"])
			assert.Equal(t, 1, tc.ByType["aws:elasticache/replicationGroup:ReplicationGroup"])
			assert.Equal(t, 1, tc.ByType["aws:lb/loadBalancer:LoadBalancer"])
			assert.Equal(t, 1, tc.ByType["aws:ec2/natGateway:NatGateway"])
		})
	}
	mine := func(id string) func(Resource) bool {
		return func(r Resource) bool { got, _ := p.TenantOf(r); return got == id }
	}
	id := p.Config.DedicatedTenants()[0].ID
	in := one(t, where(p.Custom("aws:ec2/instance:Instance"), mine(id)))
	assert.Equal(t, "t3.medium", in.Input("instanceType"))
	assert.Equal(t, false, in.Input("associatePublicIpAddress"))
	assert.Equal(t, "required", obj(in.Input("metadataOptions"))["httpTokens"])
	db := one(t, where(p.Custom("aws:rds/instance:Instance"), mine(id)))
	assert.Equal(t, "db.t3.small", db.Input("instanceClass"))
	assert.Equal(t, "postgres", db.Input("engine"))
	assert.Equal(t, true, db.Input("multiAz"))
	assert.Equal(t, true, db.Input("storageEncrypted"))
	assert.Equal(t, true, db.Input("deletionProtection"))
	assert.Equal(t, fmt.Sprintf("tenancy-prod-%s-db-final", id), db.Input("finalSnapshotIdentifier"))
	assert.True(t, db.Protect && db.RetainOnDelete)
	rg := one(t, where(p.Custom("aws:elasticache/replicationGroup:ReplicationGroup"), mine(id)))
	// The article's cache.t3.micro holds 0.38 GiB of data; an enterprise
	// tenant's 1 GB working set needs the family's medium (auto sizing).
	assert.Equal(t, "cache.t3.medium", rg.Input("nodeType"))
	assert.EqualValues(t, 2, rg.Input("numCacheClusters"), "a primary and a replica")
	lg := one(t, where(p.Custom("aws:cloudwatch/logGroup:LogGroup"), func(r Resource) bool { return r.Input("name") == "/aws/saas/tenants/"+id }))
	assert.True(t, lg.Protect)
}

func TestEveryDedicatedResourceCarriesItsTenantID(t *testing.T) {
	p := planFor(t, "dev", stacks.MultiInstance)
	n := 0
	for _, r := range p.Custom("") {
		id, placement := p.TenantOf(r)
		if placement != stacks.Dedicated || rules.Untaggable[r.Type] {
			continue
		}
		n++
		assert.Equal(t, id, obj(r.Input("tags"))[components.TagTenantID], "%s %s", r.Type, r.Name)
	}
	assert.Greater(t, n, 5*30, "checked every taggable resource of the 5 dedicated tenants")
}

func TestEveryChildIsParented(t *testing.T) {
	for _, topo := range stacks.Topologies {
		p := planFor(t, "dev", topo)
		for _, r := range p.Resources {
			if r.Parent == p.StackURN {
				assert.False(t, r.Custom, "%s %s sits at the top level outside any component", r.Type, r.Name)
			}
		}
	}
}

func TestDevIsNotProtected(t *testing.T) {
	p := planFor(t, "dev", stacks.Hybrid)
	for _, r := range p.Custom("") {
		assert.False(t, r.Protect, "%s %s is protected in dev, so `pulumi destroy` would fail", r.Type, r.Name)
	}
	cl := one(t, p.Custom("aws:rds/cluster:Cluster"))
	assert.Equal(t, false, cl.Input("deletionProtection"))
	assert.Equal(t, false, cl.Input("skipFinalSnapshot"), "dev keeps a final snapshot too")
}

func TestStatefulResourcesAreProtectedInProd(t *testing.T) {
	p := planFor(t, "prod", stacks.Hybrid)
	stateful := map[string]bool{
		"aws:rds/cluster:Cluster": true, "aws:rds/clusterInstance:ClusterInstance": true, "aws:rds/instance:Instance": true,
		"aws:elasticache/replicationGroup:ReplicationGroup": true, "aws:kms/key:Key": true, "aws:backup/vault:Vault": true,
	}
	n := 0
	for _, r := range p.Custom("") {
		if stateful[r.Type] || (r.Type == "aws:cloudwatch/logGroup:LogGroup" && strings.HasPrefix(fmt.Sprint(r.Input("name")), "/aws/saas/")) {
			n++
			assert.True(t, r.Protect, "%s %s", r.Type, r.Name)
			assert.True(t, r.RetainOnDelete, "%s %s", r.Type, r.Name)
		}
	}
	// cluster + 2 instances, 10 RDS instances, 11 caches, 15 keys (13, the
	// baseline's, the database vault's), 3 vaults (home, DR copy, dedicated
	// databases), 12 log groups (audit, shared app, 10 dedicated)
	assert.Equal(t, 3+10+11+15+3+12, n)
}
