package components

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RedisPort is the port the caches listen on.
const RedisPort = 6379

// AuthTokenSpecials are the special characters an ElastiCache AUTH token may
// hold: printable ASCII except space, '"', '/' and '@'; we keep a safe subset.
const AuthTokenSpecials = "!&#$^<>-"

type redisArgs struct {
	Description   string
	NodeType      string
	Nodes         int
	EngineVersion string
	AZs           []string
	SubnetIDs     pulumi.StringArrayOutput
	SG            *ec2.SecurityGroup
	KeyARN        pulumi.StringOutput
	// FinalSnapshot names the snapshot ElastiCache keeps when the group is deleted.
	FinalSnapshot string
	Protected     bool
	Tags          map[string]string
}

// newRedis builds a Redis replication group: one primary and Nodes-1 replicas
// across AZs with automatic failover (ElastiCache.3), encryption at rest with
// the stack's key and in transit (.4/.5), an AUTH token from pulumi-random
// (.6), daily snapshots (.1), minor upgrades (.2), its own subnet group (.7)
// and LRU eviction.
// It returns the group and the secret that delivers its address and AUTH
// token to the application.
func newRedis(ctx *pulumi.Context, name string, a redisArgs, opts ...pulumi.ResourceOption) (*elasticache.ReplicationGroup, *secretsmanager.Secret, error) {
	subnets, err := elasticache.NewSubnetGroup(ctx, name+"-redis", &elasticache.SubnetGroupArgs{
		SubnetIds: a.SubnetIDs, Description: pulumi.String(a.Description), Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	family := "redis7"
	if !strings.HasPrefix(a.EngineVersion, "7") {
		family = "redis6.x"
	}
	params, err := elasticache.NewParameterGroup(ctx, name+"-redis", &elasticache.ParameterGroupArgs{
		Family: pulumi.String(family), Description: pulumi.String("LRU eviction: " + a.Description),
		Parameters: elasticache.ParameterGroupParameterArray{&elasticache.ParameterGroupParameterArgs{
			Name: pulumi.String("maxmemory-policy"), Value: pulumi.String("allkeys-lru")}},
		Tags: tags(a.Tags),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	token, err := random.NewRandomPassword(ctx, name+"-redis-auth", &random.RandomPasswordArgs{
		Length: pulumi.Int(40), Special: pulumi.Bool(true), OverrideSpecial: pulumi.String(AuthTokenSpecials),
		MinLower: pulumi.Int(4), MinUpper: pulumi.Int(4), MinNumeric: pulumi.Int(4),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	azs := make(pulumi.StringArray, a.Nodes)
	for i := range azs {
		azs[i] = pulumi.String(a.AZs[i%len(a.AZs)])
	}
	group, err := elasticache.NewReplicationGroup(ctx, name+"-redis", &elasticache.ReplicationGroupArgs{
		Description: pulumi.String(a.Description), Engine: pulumi.String("redis"), EngineVersion: pulumi.String(a.EngineVersion),
		NodeType: pulumi.String(a.NodeType), NumCacheClusters: pulumi.Int(a.Nodes), PreferredCacheClusterAzs: azs,
		AutomaticFailoverEnabled: pulumi.Bool(true), MultiAzEnabled: pulumi.Bool(true),
		AtRestEncryptionEnabled: pulumi.Bool(true), KmsKeyId: a.KeyARN, TransitEncryptionEnabled: pulumi.Bool(true),
		AuthToken: token.Result, Port: pulumi.Int(RedisPort),
		SubnetGroupName: subnets.Name, SecurityGroupIds: pulumi.StringArray{a.SG.ID()}, ParameterGroupName: params.Name,
		SnapshotRetentionLimit: pulumi.Int(7), SnapshotWindow: pulumi.String("03:00-04:00"), MaintenanceWindow: pulumi.String("sun:05:00-sun:06:00"),
		AutoMinorVersionUpgrade: pulumi.Bool(true), FinalSnapshotIdentifier: pulumi.String(a.FinalSnapshot),
		Tags: tags(a.Tags),
	}, stateful(a.Protected, opts...)...)
	if err != nil {
		return nil, nil, err
	}
	secret, err := newSecret(ctx, name+"-redis-auth", "tenancy: "+a.Description+": address and AUTH token", a.KeyARN,
		pulumi.All(group.PrimaryEndpointAddress, token.Result).ApplyT(func(v []any) map[string]any {
			return map[string]any{"host": v[0].(string), "port": RedisPort, "authToken": v[1].(string), "tls": true}
		}).(pulumi.MapOutput), a.Tags, opts...)
	if err != nil {
		return nil, nil, err
	}
	return group, secret, nil
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
