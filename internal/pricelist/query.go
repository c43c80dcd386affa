// Package pricelist rebuilds tenancy's price catalog from the AWS Price List
// Query API (pricing:GetProducts).
package pricelist

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// usagePrefix is the region prefix of Price List usage types: none in
// us-east-1, e.g. "USW2-" elsewhere.
var usagePrefix = map[string]string{"us-east-1": "", "us-east-2": "USE2-", "us-west-1": "USW1-", "us-west-2": "USW2-",
	"eu-west-1": "EU-", "eu-central-1": "EUC1-"}

// Query is one GetProducts call: a service and TERM_MATCH filters that must
// select exactly the product behind one catalog key.
type Query struct {
	ServiceCode string
	Filters     map[string]string
	// Scale turns the API's per-unit price into the catalog's unit (KMS
	// bills per request; the catalog prices 10k requests).
	Scale decimal.Decimal
}

// QueryFor returns the query for a catalog key in a region, or false when the
// key has no query (it keeps its recorded price and source).
func QueryFor(region, key string) (Query, bool, error) {
	prefix, ok := usagePrefix[region]
	if !ok {
		return Query{}, false, fmt.Errorf("no Price List usage-type prefix known for %s; add it to internal/pricelist/query.go", region)
	}
	one := decimal.NewFromInt(1)
	q := func(service string, scale decimal.Decimal, kv ...string) (Query, bool, error) {
		f := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return Query{ServiceCode: service, Filters: f, Scale: scale}, true, nil
	}
	parts := strings.Split(key, ":")
	switch {
	case strings.HasPrefix(key, "ec2:instance:"):
		return q("AmazonEC2", one, "regionCode", region, "instanceType", parts[2], "operatingSystem", "Linux", "tenancy", "Shared",
			"preInstalledSw", "NA", "capacitystatus", "Used")
	case strings.HasPrefix(key, "ebs:"):
		return q("AmazonEC2", one, "regionCode", region, "productFamily", "Storage", "volumeApiName", parts[1])
	case strings.HasPrefix(key, "rds:postgres:"):
		return q("AmazonRDS", one, "regionCode", region, "instanceType", parts[2], "databaseEngine", "PostgreSQL",
			"deploymentOption", map[string]string{"single-az": "Single-AZ", "multi-az": "Multi-AZ"}[parts[3]])
	case strings.HasPrefix(key, "rds:storage:gp3:"):
		return q("AmazonRDS", one, "regionCode", region, "productFamily", "Database Storage", "volumeType", "General Purpose-GP3",
			"databaseEngine", "PostgreSQL", "deploymentOption", map[string]string{"single-az": "Single-AZ", "multi-az": "Multi-AZ"}[parts[3]])
	case strings.HasPrefix(key, "aurora:postgres:"):
		return q("AmazonRDS", one, "regionCode", region, "databaseEngine", "Aurora PostgreSQL", "usagetype", prefix+"InstanceUsage:"+parts[2])
	case key == "aurora:storage":
		return q("AmazonRDS", one, "regionCode", region, "usagetype", prefix+"Aurora:StorageUsage", "databaseEngine", "Aurora PostgreSQL")
	case key == "aurora:io":
		return q("AmazonRDS", decimal.NewFromInt(1_000_000), "regionCode", region, "usagetype", prefix+"Aurora:StorageIOUsage", "databaseEngine", "Aurora PostgreSQL")
	case strings.HasPrefix(key, "elasticache:redis:"):
		return q("AmazonElastiCache", one, "regionCode", region, "instanceType", parts[2], "cacheEngine", "Redis")
	case key == "alb:hour":
		return q("AWSELB", one, "regionCode", region, "productFamily", "Load Balancer-Application", "usagetype", prefix+"LoadBalancerUsage")
	case key == "alb:lcu":
		return q("AWSELB", one, "regionCode", region, "productFamily", "Load Balancer-Application", "usagetype", prefix+"LCUUsage")
	case key == "nat:hour":
		return q("AmazonEC2", one, "regionCode", region, "usagetype", prefix+"NatGateway-Hours")
	case key == "nat:gb":
		return q("AmazonEC2", one, "regionCode", region, "usagetype", prefix+"NatGateway-Bytes")
	case key == "vpc:public-ipv4":
		return q("AmazonVPC", one, "regionCode", region, "usagetype", prefix+"PublicIPv4:InUseAddress")
	case key == "logs:ingest":
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"DataProcessing-Bytes")
	case key == "logs:storage":
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"TimedStorage-ByteHrs")
	case key == "cloudwatch:metric":
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"CW:MetricMonitorUsage")
	case key == "cloudwatch:alarm":
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"CW:AlarmMonitorUsage")
	case key == "kms:key":
		return q("awskms", one, "regionCode", region, "usagetype", prefix+"KMS-Keys")
	case key == "kms:requests":
		return q("awskms", decimal.NewFromInt(10_000), "regionCode", region, "usagetype", prefix+"KMS-Requests")
	case key == "secretsmanager:secret":
		return q("AWSSecretsManager", one, "regionCode", region, "usagetype", prefix+"AWSSecretsManager-Secrets")
	}
	return Query{}, false, nil
}
