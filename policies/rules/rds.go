package rules

import (
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const (
	rdsClusterParams   = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	rdsInstanceParams  = "aws:rds/parameterGroup:ParameterGroup"
	rdsCluster         = "aws:rds/cluster:Cluster"
	rdsClusterInstance = "aws:rds/clusterInstance:ClusterInstance"
	rdsInstance        = "aws:rds/instance:Instance"
)

var rdsRules = []Rule{
	{ID: "rds-force-ssl", Control: "tenancy", Types: []string{rdsClusterParams, rdsInstanceParams},
		Description: "PostgreSQL refuses connections without TLS (rds.force_ssl = 1)",
		Fix:         "set the parameter rds.force_ssl to 1 (components.DBParameters)",
		Check: func(n graph.Node) (bool, string) {
			params, _ := n.List("parameters")
			for _, p := range params {
				m, _ := p.(map[string]any)
				if m["name"] == "rds.force_ssl" {
					if fmt.Sprint(m["value"]) == "1" {
						return true, ""
					}
					return false, fmt.Sprintf("rds.force_ssl is %v", m["value"])
				}
			}
			return false, "rds.force_ssl is not set (Aurora PostgreSQL leaves it 0)"
		},
		Examples: []Example{
			{Name: "on", Inputs: map[string]any{"parameters": []any{map[string]any{"name": "log_connections", "value": "1"}, map[string]any{"name": "rds.force_ssl", "value": "1"}}}, Pass: true},
			{Name: "off", Inputs: map[string]any{"parameters": []any{map[string]any{"name": "rds.force_ssl", "value": "0"}}}},
			{Name: "not set", Inputs: map[string]any{"parameters": []any{map[string]any{"name": "log_connections", "value": "1"}}}},
		}},
	{ID: "rds-own-parameter-group", Control: "tenancy", Types: []string{rdsCluster, rdsInstance},
		Description: "every database uses the program's parameter group (the default one leaves TLS optional)",
		Fix:         "set dbClusterParameterGroupName (clusters) or parameterGroupName (instances) to the program's group",
		Check: func(n graph.Node) (bool, string) {
			for _, k := range []string{"dbClusterParameterGroupName", "parameterGroupName"} {
				if v := n.Str(k); v != "" && !strings.HasPrefix(v, "default.") {
					return true, ""
				}
			}
			return false, "uses the engine's default parameter group"
		},
		Examples: []Example{
			{Name: "cluster with its group", Inputs: map[string]any{"dbClusterParameterGroupName": "shared-db-abc"}, Pass: true},
			{Name: "instance with its group", Inputs: map[string]any{"parameterGroupName": "acme-db-abc"}, Pass: true},
			{Name: "default group", Inputs: map[string]any{"parameterGroupName": "default.postgres16"}},
			{Name: "none", Inputs: map[string]any{}},
		}},
	{ID: "rds-cluster-encrypted", Control: "RDS.27", Types: []string{rdsCluster},
		Description: "Aurora clusters are encrypted at rest with a customer managed key",
		Fix:         "set storageEncrypted: true and kmsKeyId to the stack's key",
		Check: func(n graph.Node) (bool, string) {
			return all(func() (bool, string) { return isTrue(n, "storageEncrypted") }, func() (bool, string) { return isSet(n, "kmsKeyId") })
		},
		Examples: []Example{
			{Name: "encrypted with a CMK", Inputs: map[string]any{"storageEncrypted": true, "kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"}, Pass: true},
			{Name: "not encrypted", Inputs: map[string]any{"storageEncrypted": false, "kmsKeyId": "arn:k"}},
			{Name: "AWS managed key", Inputs: map[string]any{"storageEncrypted": true}},
		}},
	{ID: "rds-instance-encrypted", Control: "RDS.3", Types: []string{rdsInstance},
		Description: "RDS instances are encrypted at rest with a customer managed key",
		Fix:         "set storageEncrypted: true and kmsKeyId",
		Check: func(n graph.Node) (bool, string) {
			return all(func() (bool, string) { return isTrue(n, "storageEncrypted") }, func() (bool, string) { return isSet(n, "kmsKeyId") })
		},
		Examples: []Example{
			{Name: "encrypted", Inputs: map[string]any{"storageEncrypted": true, "kmsKeyId": "arn:k"}, Pass: true},
			{Name: "plain", Inputs: map[string]any{}},
		}},
	{ID: "rds-deletion-protection", Control: "RDS.7/RDS.8", Types: []string{rdsCluster, rdsInstance}, ProdOnly: true,
		Description: "databases have deletion protection", Fix: "set deletionProtection: true (the program does in prod)",
		Check: func(n graph.Node) (bool, string) { return isTrue(n, "deletionProtection") },
		Examples: []Example{
			{Name: "protected", Inputs: map[string]any{"deletionProtection": true}, Pass: true},
			{Name: "unprotected", Inputs: map[string]any{"deletionProtection": false}},
		}},
	{ID: "rds-backup-retention", Control: "RDS.11", Types: []string{rdsCluster, rdsInstance},
		Description: "automatic backups are kept 7 days or more", Fix: "set backupRetentionPeriod to 7 or more",
		Check: func(n graph.Node) (bool, string) { return minNum(n, "backupRetentionPeriod", 7) },
		Examples: []Example{
			{Name: "14 days", Inputs: map[string]any{"backupRetentionPeriod": 14.0}, Pass: true},
			{Name: "the default of 1", Inputs: map[string]any{"backupRetentionPeriod": 1.0}},
			{Name: "unset", Inputs: map[string]any{}},
		}},
	{ID: "rds-instance-multi-az", Control: "RDS.5", Types: []string{rdsInstance},
		Description: "RDS instances are Multi-AZ", Fix: "set multiAz: true",
		Check: func(n graph.Node) (bool, string) { return isTrue(n, "multiAz") },
		Examples: []Example{
			{Name: "multi-AZ", Inputs: map[string]any{"multiAz": true}, Pass: true},
			{Name: "single-AZ", Inputs: map[string]any{"multiAz": false}},
		}},
	{ID: "rds-iam-auth", Control: "RDS.12/RDS.10", Types: []string{rdsCluster, rdsInstance},
		Description: "IAM database authentication is on", Fix: "set iamDatabaseAuthenticationEnabled: true",
		Check: func(n graph.Node) (bool, string) { return isTrue(n, "iamDatabaseAuthenticationEnabled") },
		Examples: []Example{
			{Name: "on", Inputs: map[string]any{"iamDatabaseAuthenticationEnabled": true}, Pass: true},
			{Name: "off", Inputs: map[string]any{}},
		}},
	{ID: "rds-not-public", Control: "RDS.2", Types: []string{rdsInstance, rdsClusterInstance},
		Description: "databases are not publicly accessible", Fix: "set publiclyAccessible: false",
		Check: func(n graph.Node) (bool, string) { return isFalse(n, "publiclyAccessible") },
		Examples: []Example{
			{Name: "private", Inputs: map[string]any{"publiclyAccessible": false}, Pass: true},
			{Name: "public", Inputs: map[string]any{"publiclyAccessible": true}},
		}},
	{ID: "rds-minor-upgrades", Control: "RDS.35/RDS.13", Types: []string{rdsInstance, rdsClusterInstance},
		Description: "automatic minor version upgrades are on", Fix: "set autoMinorVersionUpgrade: true",
		Check: func(n graph.Node) (bool, string) { return isTrue(n, "autoMinorVersionUpgrade") },
		Examples: []Example{
			{Name: "on", Inputs: map[string]any{"autoMinorVersionUpgrade": true}, Pass: true},
			{Name: "off", Inputs: map[string]any{"autoMinorVersionUpgrade": false}},
		}},
	{ID: "rds-enhanced-monitoring", Control: "RDS.6", Types: []string{rdsInstance, rdsClusterInstance},
		Description: "enhanced monitoring is on", Fix: "set monitoringInterval above 0 and monitoringRoleArn",
		Check: func(n graph.Node) (bool, string) {
			return all(func() (bool, string) { return minNum(n, "monitoringInterval", 1) }, func() (bool, string) { return isSet(n, "monitoringRoleArn") })
		},
		Examples: []Example{
			{Name: "60 s", Inputs: map[string]any{"monitoringInterval": 60.0, "monitoringRoleArn": "arn:r"}, Pass: true},
			{Name: "off", Inputs: map[string]any{"monitoringInterval": 0.0}},
		}},
	{ID: "rds-log-exports", Control: "RDS.9/RDS.37", Types: []string{rdsCluster, rdsInstance},
		Description: "PostgreSQL logs are exported to CloudWatch", Fix: "set enabledCloudwatchLogsExports: [postgresql]",
		Check: func(n graph.Node) (bool, string) {
			l, _ := n.List("enabledCloudwatchLogsExports")
			for _, v := range l {
				if v == "postgresql" {
					return true, ""
				}
			}
			return false, "enabledCloudwatchLogsExports has no postgresql"
		},
		Examples: []Example{
			{Name: "exported", Inputs: map[string]any{"enabledCloudwatchLogsExports": []any{"postgresql"}}, Pass: true},
			{Name: "none", Inputs: map[string]any{}},
		}},
	{ID: "rds-copy-tags", Control: "RDS.16", Types: []string{rdsCluster, rdsInstance},
		Description: "tags are copied to snapshots", Fix: "set copyTagsToSnapshot: true",
		Check: func(n graph.Node) (bool, string) { return isTrue(n, "copyTagsToSnapshot") },
		Examples: []Example{
			{Name: "copied", Inputs: map[string]any{"copyTagsToSnapshot": true}, Pass: true},
			{Name: "not copied", Inputs: map[string]any{}},
		}},
	{ID: "rds-final-snapshot", Control: "data safety", Types: []string{rdsCluster, rdsInstance},
		Description: "deleting a database leaves a final snapshot", Fix: "set skipFinalSnapshot: false and finalSnapshotIdentifier",
		Check: func(n graph.Node) (bool, string) {
			if n.Bool("skipFinalSnapshot") {
				return false, "skipFinalSnapshot is true"
			}
			return isSet(n, "finalSnapshotIdentifier")
		},
		Examples: []Example{
			{Name: "kept", Inputs: map[string]any{"skipFinalSnapshot": false, "finalSnapshotIdentifier": "x-final"}, Pass: true},
			{Name: "skipped", Inputs: map[string]any{"skipFinalSnapshot": true, "finalSnapshotIdentifier": "x-final"}},
			{Name: "no name", Inputs: map[string]any{"skipFinalSnapshot": false}},
		}},
}
