package cost

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referencePrices are the list prices in shared/reference/aws-prices-us-east-1.md
// that the catalog must agree with.
var referencePrices = map[string]string{
	"ec2:instance:t3.medium": "0.0416", "ec2:instance:t3.large": "0.0832", "ec2:instance:m5.large": "0.096",
	"ec2:instance:m5.xlarge": "0.192", "ec2:instance:m5.2xlarge": "0.384",
	"ebs:gp3": "0.08", "ebs:gp2": "0.10",
	"rds:postgres:db.t3.small:single-az": "0.036", "rds:postgres:db.t3.small:multi-az": "0.072",
	"rds:postgres:db.t3.medium:single-az": "0.072", "rds:postgres:db.t3.medium:multi-az": "0.144",
	"rds:storage:gp3:single-az": "0.115", "rds:storage:gp3:multi-az": "0.23", "rds:backup": "0.095",
	"aurora:postgres:db.r6g.large": "0.26", "aurora:postgres:db.r6g.xlarge": "0.519", "aurora:postgres:db.r6g.2xlarge": "1.038",
	"aurora:postgres:db.r5.large": "0.29", "aurora:postgres:db.t4g.medium": "0.073",
	"aurora:storage": "0.10", "aurora:io": "0.20", "aurora:backup": "0.021",
	"elasticache:redis:cache.t3.micro": "0.017", "elasticache:redis:cache.t3.small": "0.034",
	"elasticache:redis:cache.m6g.large": "0.149", "elasticache:redis:cache.r6g.large": "0.206", "elasticache:redis:cache.r6g.xlarge": "0.411",
	"alb:hour": "0.0225", "alb:lcu": "0.008", "nat:hour": "0.045", "nat:gb": "0.045", "vpc:public-ipv4": "0.005",
	"logs:ingest": "0.50", "logs:storage": "0.03", "cloudwatch:metric": "0.30", "cloudwatch:alarm": "0.10",
	"kms:key": "1.00", "kms:requests": "0.03", "secretsmanager:secret": "0.40", "rdsproxy:vcpu": "0.015",
	"datatransfer:internet:first-10tb": "0.09", "datatransfer:internet:next-40tb": "0.085", "datatransfer:internet:next-100tb": "0.07",
}

func TestCatalogAgreesWithTheReference(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	assert.Equal(t, []string{"us-east-1", "us-west-2"}, cat.Regions())
	for _, region := range cat.Regions() {
		for key, want := range referencePrices {
			p := cat.Lookup(region, mustKey(t, key))
			require.NotNil(t, p, "%s %s", region, key)
			assert.True(t, p.USD.Equal(decimal.RequireFromString(want)), "%s %s: catalog %s, reference %s", region, key, p.USD, want)
		}
		for _, key := range cat.Keys(region) {
			p := cat.Lookup(region, key)
			assert.NotEmpty(t, p.Source, key)
			assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, p.Date, key)
			assert.NotEmpty(t, p.Unit, key)
		}
	}
}

func TestCatalogRefusesDuplicatesAndUnsourcedPrices(t *testing.T) {
	p := Price{Key: "s:k", Unit: "hours", USD: decimal.NewFromInt(1), Source: "s", Date: "2026-11-25"}
	_, err := NewCatalog(RegionPrices{Region: "r", Prices: []Price{p, p}})
	assert.ErrorContains(t, err, "r has price s:k twice")
	p.Source = ""
	_, err = NewCatalog(RegionPrices{Region: "r", Prices: []Price{p}})
	assert.ErrorContains(t, err, "has no source or date")
}

func TestMissingPriceIsReportedNotZero(t *testing.T) {
	cat, err := NewCatalog(RegionPrices{Region: "r", Prices: []Price{}})
	require.NoError(t, err)
	c := EC2Instance{Region: "r", InstanceType: "t3.medium", RootVolumeGB: 16}.Components(cat)
	require.Len(t, c, 2)
	for _, comp := range c {
		assert.False(t, comp.PriceFound(), comp.Name)
		assert.True(t, comp.MonthlyCost().IsZero())
		assert.NotEmpty(t, comp.PriceKey)
	}
}

func TestEveryOfferedShapeIsPricedInEveryRegion(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	for _, kind := range ShapeKinds {
		offered := cat.Offered(kind)
		require.NotEmpty(t, offered, kind)
		for _, class := range offered {
			for _, region := range cat.Regions() {
				for _, key := range shapeKeys(kind, class) {
					p := cat.Lookup(region, key)
					if assert.NotNil(t, p, "%s %s has no price in %s (%s)", kind, class, region, key) {
						assert.True(t, p.USD.IsPositive(), "%s %s: %s", region, key, p.USD)
					}
				}
			}
		}
	}
	// The shapes the article and the example stacks use are offered.
	assert.Contains(t, cat.Offered(EC2InstanceType), "m5.2xlarge")
	assert.Contains(t, cat.Offered(RDSPostgresClass), "db.t3.small")
	assert.Contains(t, cat.Offered(AuroraPostgresClass), "db.r6g.4xlarge")
	assert.Contains(t, cat.Offered(ElastiCacheRedisNode), "cache.t3.micro")
	assert.NotContains(t, cat.Offered(AuroraPostgresClass), "db.t3.small", "Aurora PostgreSQL has no db.t3.small")
}

func TestAShapePricedInOneRegionOnlyIsNotOffered(t *testing.T) {
	p := func(key string) Price {
		return Price{Key: key, Unit: "hours", USD: decimal.NewFromInt(1), Source: "s", Date: "2026-11-26"}
	}
	cat, err := NewCatalog(
		RegionPrices{Region: "a", Prices: []Price{p("ec2:instance:m5.large"), p("ec2:instance:m5.xlarge"),
			p("rds:postgres:db.t3.small:single-az"), p("rds:postgres:db.t3.small:multi-az"), p("rds:postgres:db.t3.micro:single-az")}},
		RegionPrices{Region: "b", Prices: []Price{p("ec2:instance:m5.large"),
			p("rds:postgres:db.t3.small:single-az"), p("rds:postgres:db.t3.small:multi-az"), p("rds:postgres:db.t3.micro:single-az")}},
	)
	require.NoError(t, err)
	assert.Equal(t, []string{"m5.large"}, cat.Offered(EC2InstanceType))
	assert.Equal(t, []string{"db.t3.small"}, cat.Offered(RDSPostgresClass), "a class needs its single- and multi-AZ prices")
	assert.Empty(t, cat.Offered(AuroraPostgresClass))
	assert.False(t, cat.PricedEverywhere(EC2InstanceType, "m5.xlarge"))
}

func TestShapesSortBySize(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	var r6g []string
	for _, c := range cat.Offered(AuroraPostgresClass) {
		if f, _ := SplitShape(c); f == "db.r6g" {
			r6g = append(r6g, c)
		}
	}
	assert.Equal(t, []string{"db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge", "db.r6g.8xlarge"}, r6g)
}

func mustKey(t *testing.T, s string) Key {
	t.Helper()
	k, err := ParseKey(s)
	require.NoError(t, err)
	return k
}

// A price file's key reads back as itself, and a malformed one is refused
// when the catalog loads.
func TestPriceKeysRoundTrip(t *testing.T) {
	cat, err := DefaultCatalog()
	require.NoError(t, err)
	for _, region := range cat.Regions() {
		for _, k := range cat.Keys(region) {
			assert.Equal(t, cat.Lookup(region, k).Key, k.String())
		}
	}
	assert.Equal(t, "rds:postgres:db.t3.small:multi-az", RDSPostgresKey("db.t3.small", true).String())
	for _, bad := range []string{"alb", "a:b:c:d:e", "rds::x", ""} {
		_, err := ParseKey(bad)
		assert.Error(t, err, bad)
	}
	_, err = NewCatalog(RegionPrices{Region: "us-east-1", Prices: []Price{{Key: "alb", Source: "s", Date: "2026-01-01"}}})
	assert.ErrorContains(t, err, `price key "alb"`)
}
