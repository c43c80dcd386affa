package pricelist

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/cost"
)

// recorded is one GetProducts exchange in testdata: answers in the API's
// exact shape (PriceList items are JSON strings), written by hand from the
// documented format, since this machine reaches no AWS endpoint.
type recorded struct {
	Request struct {
		ServiceCode string
		Filters     map[string]string
	} `json:"request"`
	Response json.RawMessage `json:"response"`
}

// priceListServer answers GetProducts like the Price List API (JSON 1.1 over
// HTTP POST), from the recorded exchanges; an unknown query gets no products.
func priceListServer(t *testing.T) (*httptest.Server, *int) {
	t.Helper()
	b, err := os.ReadFile("testdata/getproducts-us-east-1.json")
	require.NoError(t, err)
	var answers []recorded
	require.NoError(t, json.Unmarshal(b, &answers))
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" {
			http.Error(w, "unexpected target "+r.Header.Get("X-Amz-Target"), http.StatusBadRequest)
			return
		}
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "unsigned request", http.StatusForbidden)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ServiceCode string
			Filters     []struct{ Type, Field, Value string }
		}
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got := map[string]string{}
		for _, f := range req.Filters {
			if f.Type != "TERM_MATCH" {
				http.Error(w, "unexpected filter type "+f.Type, http.StatusBadRequest)
				return
			}
			got[f.Field] = f.Value
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		for _, a := range answers {
			if a.Request.ServiceCode == req.ServiceCode && reflect.DeepEqual(a.Request.Filters, got) {
				_, _ = w.Write(a.Response)
				return
			}
		}
		_, _ = w.Write([]byte(`{"FormatVersion":"aws_v1","PriceList":[]}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestRefreshFromThePriceListAPI(t *testing.T) {
	srv, calls := priceListServer(t)
	client := pricing.New(pricing.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDOFFLINE", "secret", ""),
	})
	cat, err := cost.DefaultCatalog()
	require.NoError(t, err)
	var current cost.RegionPrices
	current.Region = "us-east-1"
	for _, k := range cat.Keys("us-east-1") {
		current.Prices = append(current.Prices, *cat.Lookup("us-east-1", k))
	}
	next, sum, err := Refresh(context.Background(), client, current, "2026-12-01")
	require.NoError(t, err)
	assert.Greater(t, *calls, 20, "one call per key with a query")
	assert.ElementsMatch(t, []string{"ec2:instance:t3.medium", "nat:hour", "alb:lcu", "kms:requests", "vpc:public-ipv4"}, sum.Refreshed)
	assert.Contains(t, sum.Kept, "waf:webacl", "keys without a query keep their price and source")
	require.Len(t, next.Prices, len(current.Prices), "no key is dropped")

	byKey := map[string]cost.Price{}
	for _, p := range next.Prices {
		byKey[p.Key] = p
	}
	kms := byKey["kms:requests"]
	assert.True(t, kms.USD.Equal(decimal.RequireFromString("0.03")), "per request x 10,000: %s", kms.USD)
	assert.Equal(t, "2026-12-01", kms.Date)
	assert.Contains(t, kms.Source, "SKU 7HEQRP7R4FBY6WTY")
	assert.True(t, byKey["vpc:public-ipv4"].USD.Equal(decimal.RequireFromString("0.0055")), "a changed price is taken")
	// Two products for one key: refuse to guess, keep the old price, say why.
	assert.True(t, byKey["aurora:storage"].USD.Equal(decimal.RequireFromString("0.10")))
	assert.Equal(t, "2026-11-25", byKey["aurora:storage"].Date)
	var why string
	for _, f := range sum.Failed {
		if len(f) > 15 && f[:15] == "aurora:storage:" {
			why = f
		}
	}
	assert.Contains(t, why, "2 products match")
	assert.NotEmpty(t, sum.Failed, "keys the API had no product for are reported, not priced as zero")

	_, err = cost.NewCatalog(next)
	require.NoError(t, err, "the refreshed prices still make a valid catalog")
}

func TestQueriesNeedARegionPrefix(t *testing.T) {
	_, _, err := QueryFor("ap-south-2", cost.Key{Service: "nat", Item: "hour"})
	assert.ErrorContains(t, err, "no Price List usage-type prefix known for ap-south-2")
	q, ok, err := QueryFor("us-west-2", cost.Key{Service: "nat", Item: "hour"})
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "USW2-NatGateway-Hours", q.Filters["usagetype"])
}
