package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCapacityGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"capacity-prod", []string{"--stack", "prod"}, exitOK},
		{"capacity-prod-fixed", []string{"--stack", "prod", "--sizing", "fixed", "--format", "markdown"}, exitInvalid},
		{"capacity-dev", []string{"--stack", "dev"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(append([]string{"capacity", "--dir", "../.."}, tc.args...)...)
			require.Equal(t, tc.code, code, errOut)
			golden(t, tc.name, out+"--- stderr\n"+errOut)
		})
	}
}

func TestCapacityJSONReportsEveryResource(t *testing.T) {
	code, out, errOut := runCLI("capacity", "--stack", "prod", "--dir", "../..", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var doc struct {
		Sizing string   `json:"sizing"`
		Sized  []string `json:"sized"`
		Checks []struct {
			Owner, Resource, Verdict, Size string
			Demand, Capacity               float64
		} `json:"checks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "auto", doc.Sizing)
	owners := map[string]int{}
	for _, k := range doc.Checks {
		owners[k.Owner]++
		assert.NotEqual(t, "over capacity", k.Verdict, "%s %s", k.Owner, k.Resource)
	}
	assert.Equal(t, 10, owners["shared"], "app CPU and memory, database connections and storage, cache memory and connections, ALB, NAT bandwidth and connections, web ACL")
	assert.Len(t, owners, 11, "the shared tier and the 10 dedicated stacks")
	for id, n := range owners {
		if id != "shared" {
			assert.Equal(t, 5, n, id)
		}
	}
	require.NotEmpty(t, doc.Sized)
	assert.Contains(t, doc.Sized[0], "shared cache memory: tenancy:cacheNodeType 3 × cache.r6g.large, one shard → 3 × cache.r6g.4xlarge, one shard: 54.0 GiB at the peak, 9.80 GiB")
}

func TestWhatIfGrowsTheSharedTier(t *testing.T) {
	code, out, errOut := runCLI("capacity", "--stack", "prod", "--dir", "../..", "--tenants", "1000", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var doc struct {
		Checks []struct{ Owner, Resource, Size string } `json:"checks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	sizes := map[string]string{}
	for _, k := range doc.Checks {
		if k.Owner == "shared" {
			sizes[k.Resource] = k.Size
		}
	}
	assert.Equal(t, "28 × m5.2xlarge, 14 left with an AZ lost", sizes["app CPU"], "prod's 6 grow to carry 1,000 tenants")
	assert.Equal(t, "5 shards of 3 × cache.r6g.4xlarge", sizes["cache memory"])
}

func TestWhatIfBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cost", "--stack", "prod", "--add", "gold=3"}, exitUsage, `--add: unknown tier "gold": use free, pro or enterprise`},
		{[]string{"cost", "--stack", "prod", "--add", "free=0"}, exitUsage, "free=0: the count must be a whole number of 1 or more"},
		{[]string{"cost", "--stack", "prod", "--tenants", "0"}, exitUsage, "--tenants 0: give a count of 1 or more"},
		{[]string{"capacity", "--stack", "prod", "--tenants", "-5"}, exitUsage, "--tenants -5: give a count of 1 or more"},
		{[]string{"cost", "curve", "--stack", "prod", "--from", "500", "--to", "10"}, exitUsage, "--from 500 is above --to 10: give the smaller count first"},
		{[]string{"cost", "curve", "--stack", "prod", "--from", "0"}, exitUsage, "--from 0: the range starts at 1 tenant or more"},
		{[]string{"capacity", "--stack", "prod", "--tenants", "5000"}, exitInvalid, "4750 shared tenants need 10611 WAF capacity units"},
		{[]string{"capacity", "--stack", "prod", "--sizing", "big"}, exitUsage, "big"},
	} {
		code, _, errOut := runCLI(append(tc.args, "--dir", "../..")...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.want, tc.args)
	}
}

func TestCostWhatIfPricesTheGrownStack(t *testing.T) {
	code, base, errOut := runCLI("cost", "--stack", "dev", "--dir", "../..", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	code, grown, errOut := runCLI("cost", "--stack", "dev", "--dir", "../..", "--format", "json", "--add", "free=20")
	require.Equal(t, exitOK, code, errOut)
	total := func(doc string) (float64, int) {
		var r struct {
			TotalMonthlyCost string `json:"totalMonthlyCost"`
			Projects         []struct {
				Breakdown struct {
					Resources []any `json:"resources"`
				} `json:"breakdown"`
			} `json:"projects"`
		}
		require.NoError(t, json.Unmarshal([]byte(doc), &r))
		var f float64
		_, err := fmt.Sscan(r.TotalMonthlyCost, &f)
		require.NoError(t, err)
		return f, len(r.Projects[0].Breakdown.Resources)
	}
	before, n := total(base)
	after, m := total(grown)
	assert.Greater(t, after, before, "20 more tenants cost more")
	assert.Greater(t, m, n, "each added tenant adds its resources (audit stream, alarms)")
	assert.Contains(t, errOut, "what-if: sized automatically", "dev is fixed; a what-if is sized from the peak")
}

func TestRecommendAndPricingFlags(t *testing.T) {
	code, out, errOut := runCLI("cost", "--stack", "prod", "--dir", "../..", "--recommend", "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var rec struct {
		Levers []struct {
			Name, Change string
			Saving       string `json:"monthlySavingUsd"`
		} `json:"levers"`
		Skipped []string `json:"skipped"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rec))
	assert.GreaterOrEqual(t, len(rec.Levers), 5, "commitment, I/O-Optimized, Graviton, Logs IA, DR, right-sizing")
	assert.Equal(t, "1888.8", rec.Levers[0].Saving)

	code, _, errOut = runCLI("cost", "--stack", "prod", "--dir", "../..", "--pricing", "commit-3y")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--pricing commit-3y: the price catalog has no commit-3y price at all")
	code, _, errOut = runCLI("cost", "--stack", "prod", "--dir", "../..", "--pricing", "reserved")
	assert.Equal(t, exitUsage, code, errOut)
}
