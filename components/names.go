package components

// Names AWS gives its limits to. Pulumi auto-names a resource as its logical
// name plus "-" and 7 random characters.
const autoNameSuffix = 8

// AWSNameLimits maps a resource type token to the longest physical name AWS
// accepts, for the resources whose names are derived from tenant ids.
var AWSNameLimits = map[string]int{
	"aws:lb/loadBalancer:LoadBalancer":                  32,
	"aws:lb/targetGroup:TargetGroup":                    32,
	"aws:elasticache/replicationGroup:ReplicationGroup": 40,
	"aws:rds/instance:Instance":                         63,
	"aws:rds/cluster:Cluster":                           63,
	"aws:rds/clusterInstance:ClusterInstance":           63,
	"aws:rds/proxy:Proxy":                               63,
	"aws:iam/role:Role":                                 64,
	"aws:elasticache/subnetGroup:SubnetGroup":           255,
	"aws:rds/subnetGroup:SubnetGroup":                   255,
}

// PhysicalNameLength is the length of the name AWS will see for a resource
// auto-named from logicalName.
func PhysicalNameLength(logicalName string) int { return len(logicalName) + autoNameSuffix }
