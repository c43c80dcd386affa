// Package pricelist rebuilds tenancy's price catalog from the AWS Price List
// Query API (pricing:GetProducts).
package pricelist

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
	awsregion "github.com/tenancy-dev/tenancy/internal/region"
)

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
func QueryFor(region string, key cost.Key) (Query, bool, error) {
	r, known := awsregion.Lookup(region)
	prefix := r.UsagePrefix
	if !known || !r.Known {
		return Query{}, false, fmt.Errorf("no Price List usage-type prefix known for %s; add it to internal/region/region.go", region)
	}
	one := decimal.NewFromInt(1)
	q := func(service string, scale decimal.Decimal, kv ...string) (Query, bool, error) {
		f := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return Query{ServiceCode: service, Filters: f, Scale: scale}, true, nil
	}
	// what is billed: the key without its variant and option
	type billed struct{ service, item string }
	switch (billed{key.Service, key.Item}) {
	case billed{"ec2", "instance"}:
		return q("AmazonEC2", one, "regionCode", region, "instanceType", key.Variant, "operatingSystem", "Linux", "tenancy", "Shared",
			"preInstalledSw", "NA", "capacitystatus", "Used")
	case billed{"ebs", key.Item}: // the item is the volume type: "ebs:gp3"
		return q("AmazonEC2", one, "regionCode", region, "productFamily", "Storage", "volumeApiName", key.Item)
	case billed{"rds", "postgres"}:
		return q("AmazonRDS", one, "regionCode", region, "instanceType", key.Variant, "databaseEngine", "PostgreSQL",
			"deploymentOption", map[string]string{"single-az": "Single-AZ", "multi-az": "Multi-AZ"}[key.Option])
	case billed{"rds", "storage"}:
		if key.Variant != "gp3" {
			return Query{}, false, nil
		}
		return q("AmazonRDS", one, "regionCode", region, "productFamily", "Database Storage", "volumeType", "General Purpose-GP3",
			"databaseEngine", "PostgreSQL", "deploymentOption", map[string]string{"single-az": "Single-AZ", "multi-az": "Multi-AZ"}[key.Option])
	case billed{"aurora", "postgres"}:
		return q("AmazonRDS", one, "regionCode", region, "databaseEngine", "Aurora PostgreSQL", "usagetype", prefix+"InstanceUsage:"+key.Variant)
	case billed{"aurora", "storage"}:
		return q("AmazonRDS", one, "regionCode", region, "usagetype", prefix+"Aurora:StorageUsage", "databaseEngine", "Aurora PostgreSQL")
	case billed{"aurora", "io"}:
		return q("AmazonRDS", decimal.NewFromInt(1_000_000), "regionCode", region, "usagetype", prefix+"Aurora:StorageIOUsage", "databaseEngine", "Aurora PostgreSQL")
	case billed{"elasticache", "redis"}:
		return q("AmazonElastiCache", one, "regionCode", region, "instanceType", key.Variant, "cacheEngine", "Redis")
	case billed{"alb", "hour"}:
		return q("AWSELB", one, "regionCode", region, "productFamily", "Load Balancer-Application", "usagetype", prefix+"LoadBalancerUsage")
	case billed{"alb", "lcu"}:
		return q("AWSELB", one, "regionCode", region, "productFamily", "Load Balancer-Application", "usagetype", prefix+"LCUUsage")
	case billed{"nat", "hour"}:
		return q("AmazonEC2", one, "regionCode", region, "usagetype", prefix+"NatGateway-Hours")
	case billed{"nat", "gb"}:
		return q("AmazonEC2", one, "regionCode", region, "usagetype", prefix+"NatGateway-Bytes")
	case billed{"vpc", "public-ipv4"}:
		return q("AmazonVPC", one, "regionCode", region, "usagetype", prefix+"PublicIPv4:InUseAddress")
	case billed{"logs", "ingest"}:
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"DataProcessing-Bytes")
	case billed{"logs", "storage"}:
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"TimedStorage-ByteHrs")
	case billed{"cloudwatch", "metric"}:
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"CW:MetricMonitorUsage")
	case billed{"cloudwatch", "alarm"}:
		return q("AmazonCloudWatch", one, "regionCode", region, "usagetype", prefix+"CW:AlarmMonitorUsage")
	case billed{"kms", "key"}:
		return q("awskms", one, "regionCode", region, "usagetype", prefix+"KMS-Keys")
	case billed{"kms", "requests"}:
		return q("awskms", decimal.NewFromInt(10_000), "regionCode", region, "usagetype", prefix+"KMS-Requests")
	case billed{"secretsmanager", "secret"}:
		return q("AWSSecretsManager", one, "regionCode", region, "usagetype", prefix+"AWSSecretsManager-Secrets")
	}
	return Query{}, false, nil
}
