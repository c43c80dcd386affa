package components

import (
	"fmt"
	"github.com/tenancy-dev/tenancy/stacks"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DBLogRetentionDays is how long the PostgreSQL logs that RDS and Aurora
// export are kept.
const DBLogRetentionDays = 90

// SharedClusterIdentifier is the shared Aurora cluster's identifier. It is
// set, not auto-named, so that the group its logs are exported to can be
// created, with a retention and a key, before RDS creates it with neither.
func SharedClusterIdentifier(stack string) string { return fmt.Sprintf("tenancy-%s-shared-db", stack) }

// DRClusterIdentifier is the global database's secondary cluster.
func DRClusterIdentifier(stack string) string { return fmt.Sprintf("tenancy-%s-dr-db", stack) }

// TenantDBIdentifier is a dedicated tenant's RDS instance: at most 8+30+1+20+3
// = 62 characters of a-z, 0-9 and single hyphens (RDS takes 63).
func TenantDBIdentifier(stack, tenant string) string {
	return fmt.Sprintf("tenancy-%s-%s-db", stack, tenant)
}

// TenantLogGroupName is a dedicated tenant's own log group.
func TenantLogGroupName(tenant string) string { return stacks.TenantLogGroupName(tenant) }

// FlowLogGroupPattern matches the flow-log group of the network named
// network: Pulumi names it <network>-flow-logs-<7 random characters>.
func FlowLogGroupPattern(network string) string { return network + "-flow-logs-*" }

// DBLogGroupName is where RDS exports a cluster's ("cluster") or an
// instance's ("instance") PostgreSQL log.
func DBLogGroupName(kind, identifier string) string {
	return fmt.Sprintf("/aws/rds/%s/%s/postgresql", kind, identifier)
}

// newDBLogGroup pre-creates the log group RDS exports PostgreSQL logs to:
// left to RDS it would be created unencrypted and never expire. The database
// must depend on it.
func newDBLogGroup(ctx *pulumi.Context, name, kind, identifier string, keyARN pulumi.StringOutput, protected bool,
	tagMap map[string]string, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	return cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name: pulumi.String(DBLogGroupName(kind, identifier)), RetentionInDays: pulumi.Int(DBLogRetentionDays),
		KmsKeyId: keyARN, Tags: tags(tagMap),
	}, stateful(protected, opts...)...)
}
