package components

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// dbParameter is one PostgreSQL setting every database of the program has.
type dbParameter struct{ Name, Value, ApplyMethod string }

// DBParameters: TLS required on every connection (rds.force_ssl: Aurora
// PostgreSQL leaves it off), connections and disconnections logged, and
// pgaudit loaded, logging DDL and role changes, for the audit trail.
// shared_preload_libraries takes effect at the next reboot; the database
// owner then runs CREATE EXTENSION pgaudit once (the migration toolkit's
// bootstrap).
var DBParameters = []dbParameter{
	{"rds.force_ssl", "1", "immediate"},
	{"log_connections", "1", "immediate"},
	{"log_disconnections", "1", "immediate"},
	{"shared_preload_libraries", "pg_stat_statements,pgaudit", "pending-reboot"},
	{"pgaudit.log", "ddl,role", "immediate"},
}

// dbParameterFamily is the parameter group family of an engine ("postgres"
// or "aurora-postgresql") at a version ("16.6" -> "postgres16").
func dbParameterFamily(engine, version string) string {
	major, _, _ := strings.Cut(version, ".")
	return engine + major
}

// newClusterParameterGroup is an Aurora PostgreSQL cluster's parameters.
func newClusterParameterGroup(ctx *pulumi.Context, name, version, description string, tagMap map[string]string,
	opts ...pulumi.ResourceOption) (*rds.ClusterParameterGroup, error) {
	var params rds.ClusterParameterGroupParameterArray
	for _, p := range DBParameters {
		params = append(params, &rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String(p.Name), Value: pulumi.String(p.Value), ApplyMethod: pulumi.String(p.ApplyMethod)})
	}
	return rds.NewClusterParameterGroup(ctx, name, &rds.ClusterParameterGroupArgs{
		Family: pulumi.String(dbParameterFamily("aurora-postgresql", version)), Description: pulumi.String(description),
		Parameters: params, Tags: tags(tagMap),
	}, opts...)
}

// newDBParameterGroup is an RDS PostgreSQL instance's parameters.
func newDBParameterGroup(ctx *pulumi.Context, name, version, description string, tagMap map[string]string,
	opts ...pulumi.ResourceOption) (*rds.ParameterGroup, error) {
	var params rds.ParameterGroupParameterArray
	for _, p := range DBParameters {
		params = append(params, &rds.ParameterGroupParameterArgs{
			Name: pulumi.String(p.Name), Value: pulumi.String(p.Value), ApplyMethod: pulumi.String(p.ApplyMethod)})
	}
	return rds.NewParameterGroup(ctx, name, &rds.ParameterGroupArgs{
		Family: pulumi.String(dbParameterFamily("postgres", version)), Description: pulumi.String(description),
		Parameters: params, Tags: tags(tagMap),
	}, opts...)
}
