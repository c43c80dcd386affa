package pricelist

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"
	"github.com/shopspring/decimal"
	"github.com/tenancy-dev/tenancy/cost"
)

// GetProductsAPI is the one call Refresh makes.
type GetProductsAPI interface {
	GetProducts(ctx context.Context, in *pricing.GetProductsInput, opts ...func(*pricing.Options)) (*pricing.GetProductsOutput, error)
}

// Summary says what a refresh did to each key.
type Summary struct {
	Refreshed []string // new price from the API
	Kept      []string // no query for the key: its price and source stay
	Failed    []string // a query found no single product: the old price stays, with why
}

// product is one Price List entry (each PriceList item is a JSON string).
type product struct {
	Product struct {
		SKU        string            `json:"sku"`
		Attributes map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
				Description  string            `json:"description"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
	PublicationDate string `json:"publicationDate"`
}

// onDemandUSD is the product's first-tier on-demand USD price.
func (p product) onDemandUSD() (decimal.Decimal, error) {
	for _, term := range p.Terms.OnDemand {
		var dims []string
		for k := range term.PriceDimensions {
			dims = append(dims, k)
		}
		sort.Strings(dims)
		for _, k := range dims {
			d := term.PriceDimensions[k]
			if d.BeginRange != "" && d.BeginRange != "0" {
				continue
			}
			usd, ok := d.PricePerUnit["USD"]
			if !ok {
				continue
			}
			return decimal.NewFromString(usd)
		}
	}
	return decimal.Zero, fmt.Errorf("SKU %s has no first-tier on-demand USD price", p.Product.SKU)
}

// Refresh asks the Price List API for every key of current it has a query
// for, and returns the region's new prices dated date.
func Refresh(ctx context.Context, api GetProductsAPI, current cost.RegionPrices, date string) (cost.RegionPrices, Summary, error) {
	out := cost.RegionPrices{Region: current.Region}
	var sum Summary
	for _, old := range current.Prices {
		key, err := cost.ParseKey(old.Key)
		if err != nil {
			return out, sum, err
		}
		q, ok, err := QueryFor(current.Region, key)
		if err != nil {
			return out, sum, err
		}
		if !ok {
			out.Prices = append(out.Prices, old)
			sum.Kept = append(sum.Kept, old.Key)
			continue
		}
		p, err := fetch(ctx, api, q)
		if err != nil {
			out.Prices = append(out.Prices, old)
			sum.Failed = append(sum.Failed, fmt.Sprintf("%s: %v", old.Key, err))
			continue
		}
		usd, err := p.onDemandUSD()
		if err != nil {
			out.Prices = append(out.Prices, old)
			sum.Failed = append(sum.Failed, fmt.Sprintf("%s: %v", old.Key, err))
			continue
		}
		np := old
		np.USD = usd.Mul(q.Scale)
		np.Source = fmt.Sprintf("AWS Price List Query API (pricing:GetProducts %s), SKU %s, published %s", q.ServiceCode, p.Product.SKU, p.PublicationDate)
		np.Date = date
		out.Prices = append(out.Prices, np)
		sum.Refreshed = append(sum.Refreshed, old.Key)
	}
	return out, sum, nil
}

// fetch runs a query and requires exactly one product: two would mean the
// filters do not pin the price, and a guess is not a price.
func fetch(ctx context.Context, api GetProductsAPI, q Query) (product, error) {
	in := &pricing.GetProductsInput{ServiceCode: aws.String(q.ServiceCode), FormatVersion: aws.String("aws_v1"), MaxResults: aws.Int32(10)}
	fields := make([]string, 0, len(q.Filters))
	for f := range q.Filters {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		in.Filters = append(in.Filters, types.Filter{Type: types.FilterTypeTermMatch, Field: aws.String(f), Value: aws.String(q.Filters[f])})
	}
	var items []string
	for {
		resp, err := api.GetProducts(ctx, in)
		if err != nil {
			return product{}, err
		}
		items = append(items, resp.PriceList...)
		if resp.NextToken == nil || *resp.NextToken == "" {
			break
		}
		in.NextToken = resp.NextToken
	}
	switch len(items) {
	case 0:
		return product{}, fmt.Errorf("no product matches %s %v (price not found)", q.ServiceCode, q.Filters)
	case 1:
	default:
		return product{}, fmt.Errorf("%d products match %s %v; the filters must pin one", len(items), q.ServiceCode, q.Filters)
	}
	var p product
	if err := json.Unmarshal([]byte(items[0]), &p); err != nil {
		return product{}, fmt.Errorf("a PriceList item is not product JSON: %w", err)
	}
	return p, nil
}
