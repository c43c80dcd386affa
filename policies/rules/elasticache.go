package rules

import "github.com/tenancy-dev/tenancy/internal/graph"

const replicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"

var elastiCacheRules = []Rule{
	{ID: "cache-encrypted-at-rest", Control: "ElastiCache.4", Types: []string{replicationGroup},
		Description: "caches are encrypted at rest with a customer managed key", Fix: "set atRestEncryptionEnabled: true and kmsKeyId",
		Check: func(n graph.Node) (bool, string) {
			return all(func() (bool, string) { return isTrue(n, "atRestEncryptionEnabled") }, func() (bool, string) { return isSet(n, "kmsKeyId") })
		},
		Examples: []Example{
			{Name: "encrypted", Inputs: map[string]any{"atRestEncryptionEnabled": true, "kmsKeyId": "arn:k"}, Pass: true},
			{Name: "plain", Inputs: map[string]any{"atRestEncryptionEnabled": false}},
		}},
	{ID: "cache-encrypted-in-transit", Control: "ElastiCache.5", Types: []string{replicationGroup},
		Description: "caches are encrypted in transit", Fix: "set transitEncryptionEnabled: true",
		Check: func(n graph.Node) (bool, string) { return isTrue(n, "transitEncryptionEnabled") },
		Examples: []Example{
			{Name: "TLS", Inputs: map[string]any{"transitEncryptionEnabled": true}, Pass: true},
			{Name: "clear text", Inputs: map[string]any{}},
		}},
	{ID: "cache-auth", Control: "ElastiCache.6", Types: []string{replicationGroup},
		Description: "caches require AUTH", Fix: "set authToken (from random.RandomPassword) or userGroupIds",
		Check: func(n graph.Node) (bool, string) {
			if ok, _ := isSet(n, "authToken"); ok {
				return true, ""
			}
			if l, _ := n.List("userGroupIds"); len(l) > 0 {
				return true, ""
			}
			return false, "neither authToken nor userGroupIds is set"
		},
		Examples: []Example{
			{Name: "token", Inputs: map[string]any{"authToken": "[secret]"}, Pass: true},
			{Name: "RBAC", Inputs: map[string]any{"userGroupIds": []any{"g"}}, Pass: true},
			{Name: "open", Inputs: map[string]any{}},
		}},
	{ID: "cache-backups", Control: "ElastiCache.1", Types: []string{replicationGroup},
		Description: "caches take automatic snapshots", Fix: "set snapshotRetentionLimit to 1 or more",
		Check: func(n graph.Node) (bool, string) { return minNum(n, "snapshotRetentionLimit", 1) },
		Examples: []Example{
			{Name: "7 days", Inputs: map[string]any{"snapshotRetentionLimit": 7.0}, Pass: true},
			{Name: "none", Inputs: map[string]any{"snapshotRetentionLimit": 0.0}},
		}},
	{ID: "cache-failover", Control: "ElastiCache.3", Types: []string{replicationGroup},
		Description: "caches fail over automatically across AZs", Fix: "set automaticFailoverEnabled and multiAzEnabled, with 2 or more nodes",
		Check: func(n graph.Node) (bool, string) {
			return all(func() (bool, string) { return isTrue(n, "automaticFailoverEnabled") },
				func() (bool, string) { return isTrue(n, "multiAzEnabled") },
				func() (bool, string) {
					if _, sharded := n.Num("numNodeGroups"); sharded {
						return minNum(n, "replicasPerNodeGroup", 1)
					}
					return minNum(n, "numCacheClusters", 2)
				})
		},
		Examples: []Example{
			{Name: "3 nodes", Inputs: map[string]any{"automaticFailoverEnabled": true, "multiAzEnabled": true, "numCacheClusters": 3.0}, Pass: true},
			{Name: "one node", Inputs: map[string]any{"automaticFailoverEnabled": true, "multiAzEnabled": true, "numCacheClusters": 1.0}},
			{Name: "4 shards of 2", Inputs: map[string]any{"automaticFailoverEnabled": true, "multiAzEnabled": true, "numNodeGroups": 4.0, "replicasPerNodeGroup": 1.0}, Pass: true},
			{Name: "4 shards without replicas", Inputs: map[string]any{"automaticFailoverEnabled": true, "multiAzEnabled": true, "numNodeGroups": 4.0, "replicasPerNodeGroup": 0.0}},
		}},
	{ID: "cache-upgrades-and-subnets", Control: "ElastiCache.2/ElastiCache.7", Types: []string{replicationGroup},
		Description: "minor upgrades are on and the cache is not in the default subnet group", Fix: "set autoMinorVersionUpgrade: true and subnetGroupName",
		Check: func(n graph.Node) (bool, string) {
			return all(func() (bool, string) { return isTrue(n, "autoMinorVersionUpgrade") }, func() (bool, string) { return isSet(n, "subnetGroupName") })
		},
		Examples: []Example{
			{Name: "own subnets", Inputs: map[string]any{"autoMinorVersionUpgrade": true, "subnetGroupName": "g"}, Pass: true},
			{Name: "default subnets", Inputs: map[string]any{"autoMinorVersionUpgrade": true}},
		}},
}
