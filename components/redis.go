package components

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RedisPort is the port the caches listen on.
const RedisPort = 6379

type redisArgs struct {
	Description string
	NodeType    string
	Nodes       int // per shard: one primary and Nodes-1 replicas
	// Shards above 1 turn cluster mode on: the keyspace is split over that
	// many node groups. 1 keeps cluster mode off, as a deployed group has it.
	Shards        int
	EngineVersion string
	AZs           []string
	SubnetIDs     pulumi.StringArrayOutput
	SG            *ec2.SecurityGroup
	KeyARN        pulumi.StringOutput
	// FinalSnapshot names the snapshot ElastiCache keeps when the group is deleted.
	FinalSnapshot string
	// Users prefixes the cache's RBAC user and group ids
	// (CacheUserPrefix), unique in the account and region.
	Users     string
	Protected bool
	Tags      map[string]string
}

// CacheUserPrefix names a cache's RBAC users and group: tenancy-<stack>-<owner>.
func CacheUserPrefix(stack, owner string) string { return "tenancy-" + stack + "-" + owner }

// CacheAppUser is the RBAC user the application logs in to a cache as.
func CacheAppUser(prefix string) string { return prefix + "-app" }

// cacheLogin is who may log in to a cache: its application user.
type cacheLogin struct {
	GroupARN, UserARN pulumi.StringOutput
}

// newRedis builds a Redis replication group: one primary and Nodes-1 replicas
// across AZs with automatic failover (ElastiCache.3), encryption at rest with
// the stack's key and in transit (.4/.5), role-based access with IAM
// authentication (.6), daily snapshots (.1), minor upgrades (.2), its own
// subnet group (.7) and LRU eviction.
//
// Access: the default user is switched off, and the application logs in as
// CacheAppUser with a short-lived IAM token (SigV4, valid 15 minutes,
// elasticache:Connect): no static secret exists to leak or rotate. The user
// may run everything but the dangerous commands (FLUSHALL, KEYS, CONFIG,
// DEBUG...).
func newRedis(ctx *pulumi.Context, name string, a redisArgs, opts ...pulumi.ResourceOption) (*elasticache.ReplicationGroup, cacheLogin, error) {
	var login cacheLogin
	subnets, err := elasticache.NewSubnetGroup(ctx, name+"-redis", &elasticache.SubnetGroupArgs{
		SubnetIds: a.SubnetIDs, Description: pulumi.String(a.Description), Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, login, err
	}
	family := "redis7"
	if !strings.HasPrefix(a.EngineVersion, "7") {
		family = "redis6.x"
	}
	params, err := elasticache.NewParameterGroup(ctx, name+"-redis", &elasticache.ParameterGroupArgs{
		Family: pulumi.String(family), Description: pulumi.String("LRU eviction: " + a.Description),
		Parameters: redisParameters(a.Shards),
		Tags:       tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, login, err
	}
	// A user group must hold a user named "default": this one is off.
	off, err := elasticache.NewUser(ctx, name+"-redis-default", &elasticache.UserArgs{
		UserId: pulumi.String(a.Users + "-default"), UserName: pulumi.String("default"), Engine: pulumi.String("redis"),
		AccessString:       pulumi.String("off -@all"),
		AuthenticationMode: &elasticache.UserAuthenticationModeArgs{Type: pulumi.String("no-password-required")},
		Tags:               tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, login, err
	}
	// IAM authentication needs the user id and name to be the same.
	app, err := elasticache.NewUser(ctx, name+"-redis-app", &elasticache.UserArgs{
		UserId: pulumi.String(CacheAppUser(a.Users)), UserName: pulumi.String(CacheAppUser(a.Users)), Engine: pulumi.String("redis"),
		AccessString:       pulumi.String("on ~* &* +@all -@dangerous"),
		AuthenticationMode: &elasticache.UserAuthenticationModeArgs{Type: pulumi.String("iam")},
		Tags:               tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, login, err
	}
	users, err := elasticache.NewUserGroup(ctx, name+"-redis", &elasticache.UserGroupArgs{
		UserGroupId: pulumi.String(a.Users), Engine: pulumi.String("redis"), UserIds: pulumi.StringArray{off.UserId, app.UserId},
		Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, login, err
	}
	rg := &elasticache.ReplicationGroupArgs{
		Description: pulumi.String(a.Description), Engine: pulumi.String("redis"), EngineVersion: pulumi.String(a.EngineVersion),
		NodeType:                 pulumi.String(a.NodeType),
		AutomaticFailoverEnabled: pulumi.Bool(true), MultiAzEnabled: pulumi.Bool(true),
		AtRestEncryptionEnabled: pulumi.Bool(true), KmsKeyId: a.KeyARN, TransitEncryptionEnabled: pulumi.Bool(true),
		UserGroupIds: pulumi.StringArray{users.UserGroupId}, Port: pulumi.Int(RedisPort),
		SubnetGroupName: subnets.Name, SecurityGroupIds: pulumi.StringArray{a.SG.ID()}, ParameterGroupName: params.Name,
		SnapshotRetentionLimit: pulumi.Int(7), SnapshotWindow: pulumi.String("03:00-04:00"), MaintenanceWindow: pulumi.String("sun:05:00-sun:06:00"),
		AutoMinorVersionUpgrade: pulumi.Bool(true), FinalSnapshotIdentifier: pulumi.String(a.FinalSnapshot),
		Tags: tags(a.Tags),
	}
	if a.Shards > 1 {
		// ElastiCache spreads each shard's primary and replicas over the AZs.
		rg.ClusterMode, rg.NumNodeGroups, rg.ReplicasPerNodeGroup = pulumi.String("enabled"), pulumi.Int(a.Shards), pulumi.Int(a.Nodes-1)
	} else {
		azs := make(pulumi.StringArray, a.Nodes)
		for i := range azs {
			azs[i] = pulumi.String(a.AZs[i%len(a.AZs)])
		}
		rg.NumCacheClusters, rg.PreferredCacheClusterAzs = pulumi.Int(a.Nodes), azs
	}
	group, err := elasticache.NewReplicationGroup(ctx, name+"-redis", rg, stateful(a.Protected, opts...)...)
	if err != nil {
		return nil, login, err
	}
	return group, cacheLogin{GroupARN: group.Arn, UserARN: app.Arn}, nil
}

// redisParameters: LRU eviction, and cluster mode when the keyspace is
// sharded (its parameter group must say so).
func redisParameters(shards int) elasticache.ParameterGroupParameterArray {
	out := elasticache.ParameterGroupParameterArray{&elasticache.ParameterGroupParameterArgs{
		Name: pulumi.String("maxmemory-policy"), Value: pulumi.String("allkeys-lru")}}
	if shards > 1 {
		out = append(out, &elasticache.ParameterGroupParameterArgs{Name: pulumi.String("cluster-enabled"), Value: pulumi.String("yes")})
	}
	return out
}

// cacheEndpoint is where clients connect: the primary, or with cluster mode
// on the configuration endpoint.
func cacheEndpoint(g *elasticache.ReplicationGroup, shards int) pulumi.StringOutput {
	if shards > 1 {
		return g.ConfigurationEndpointAddress
	}
	return g.PrimaryEndpointAddress
}

// cacheConnect lets a role log in to its cache, as its application user
// only, with IAM (ElastiCache generates no token for any other user).
func cacheConnect(resources []string) map[string]any {
	return map[string]any{"Sid": "CacheLogin", "Effect": "Allow", "Action": "elasticache:Connect", "Resource": resources}
}

// finalSnapshotName is a snapshot identifier AWS accepts: letters, digits and
// single hyphens, starting with a letter, at most 255 characters.
func finalSnapshotName(parts ...string) string {
	s := strings.Join(parts, "-") + "-final"
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	if len(s) > 255 {
		s = s[:255]
	}
	return strings.TrimSuffix(s, "-")
}
