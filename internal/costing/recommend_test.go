package costing

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
	"github.com/tenancy-dev/tenancy/internal/offline"
	"github.com/tenancy-dev/tenancy/stacks"
)

// TestRecommendProd: each lever's saving, measured by repricing prod with
// its change (or, for the commitment, from the catalog's reserved price).
func TestRecommendProd(t *testing.T) {
	r := reportFor(t, "prod")
	cfg, err := stacks.Load("../..", "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	rec, err := Recommend(cfg, r.After, cat, offline.EvaluateScaled)
	require.NoError(t, err)
	got := map[string]string{}
	var order []string
	for _, l := range rec.Levers {
		got[l.Name] = l.Saving.StringFixed(2)
		order = append(order, l.Name)
		assert.NotEmpty(t, l.Change, l.Name)
		assert.NotEmpty(t, l.Risk, l.Name)
	}
	assert.Equal(t, map[string]string{
		"No cross-region disaster recovery":                   "1888.80", // the weekly copies' cost, from the DR table
		"Aurora I/O-Optimized":                                "1597.68", // the "about $1,600"
		"Right-size the shared database":                      "425.94",  // db.r6g.xlarge -> large, 2 instances
		"1-year commitment for the always-on app servers":     "420.48",  // 4 x 730 h x ($0.384 - $0.240)
		"Graviton for the shared app tier":                    "332.88",  // 6 x 730 h x ($0.384 - $0.308)
		"CloudWatch Logs Infrequent Access for the audit log": "170.00",  // 680 GB x ($0.50 - $0.25)
		"Graviton for the 10 dedicated stacks":                "102.20",
	}, got)
	assert.Equal(t, "No cross-region disaster recovery", order[0], "largest first")
	assert.Equal(t, "Graviton for the 10 dedicated stacks", order[len(order)-1])
	require.Len(t, rec.Skipped, 1)
	assert.Contains(t, rec.Skipped[0], "reserved Aurora (db.r6g.xlarge) and ElastiCache (cache.r6g.4xlarge) nodes, and every 3-year term")
	var b bytes.Buffer
	WriteRecommendations(&b, r, rec, false)
	assert.Contains(t, b.String(), "Pulumi.prod.yaml: tenancy:dbStorageType: io-optimized")
	assert.Contains(t, b.String(), "so they do not add up to $4,937.98")
}

// TestCommitmentPricesTheBaseline: commit-1y prices the shared group's
// minimum at the reserved rate and says what it could not reach.
func TestCommitmentPricesTheBaseline(t *testing.T) {
	od := reportFor(t, "prod")
	r, err := Compare("../..", "prod", CompareOptions{Pricing: "commit-1y", Evaluate: offline.EvaluateScaled})
	require.NoError(t, err)
	assert.Equal(t, "420.48", od.After.Total().Sub(r.After.Total()).StringFixed(2), "4 m5.2xlarge x 730 h x $0.144")
	assert.True(t, od.Before.Total().Equal(r.Before.Total()), "the before's t3.medium have no reserved price")
	assert.Equal(t, []string{"10 always-on t3.medium stay on-demand: the catalog has no commit-1y price for it (add ec2:instance:t3.medium:commit-1y to cost/prices with its source)"}, r.After.PricingNotes)
	var reserved []cost.Component
	for _, res := range r.After.Resources {
		for _, c := range res.Components {
			if c.PriceKey.Option == "commit-1y" {
				reserved = append(reserved, c)
			}
		}
	}
	require.Len(t, reserved, 1)
	assert.Equal(t, "2920", reserved[0].Quantity.String(), "4 instances x 730 h")
	assert.Equal(t, "0.24", reserved[0].Price.USD.String())
	var b bytes.Buffer
	r.WriteTable(&b)
	assert.Contains(t, b.String(), "Pricing commit-1y: each always-on instance")
	assert.Contains(t, b.String(), "after: 10 always-on t3.medium stay on-demand")
}

// TestIOOptimizedAndInfrequentAccessArePriced: the two config choices
// change the components, not only the total.
func TestIOOptimizedAndInfrequentAccessArePriced(t *testing.T) {
	cfg, err := stacks.Load("../..", "prod", stacks.LoadOptions{})
	require.NoError(t, err)
	cfg.Shared.DBStorageType, cfg.Shared.AuditLogClass = "io-optimized", "infrequent-access"
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	e, err := evaluateAndPrice("after", cfg, cat, offline.EvaluateScaled)
	require.NoError(t, err)
	keys := map[string]string{}
	for _, res := range e.Resources {
		for _, c := range res.Components {
			if c.Price != nil {
				keys[c.PriceKey.String()] = c.Price.USD.String()
			}
		}
	}
	assert.Equal(t, "0.225", keys["aurora:storage:io-optimized"])
	assert.NotContains(t, keys, "aurora:io", "I/O-Optimized bills no I/O")
	assert.NotContains(t, keys, "aurora:storage")
	assert.Equal(t, "0.6747", keys["aurora:postgres:db.r6g.xlarge"], "$0.519 x 1.30")
	assert.Equal(t, "0.25", keys["logs:ingest:infrequent-access"])
}
