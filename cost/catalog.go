package cost

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/shopspring/decimal"
)

// Price is one list price, with where and when it was read.
type Price struct {
	Key         string          `json:"key"`
	Description string          `json:"description"`
	Unit        string          `json:"unit"`
	USD         decimal.Decimal `json:"usd"`
	Source      string          `json:"source"`
	Date        string          `json:"date"`
}

// RegionPrices is one region's file in prices/.
type RegionPrices struct {
	Region string  `json:"region"`
	Prices []Price `json:"prices"`
}

// Catalog holds list prices per region.
type Catalog struct {
	regions map[string]map[Key]*Price
}

//go:embed prices/*.json
var embedded embed.FS

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
	defaultErr     error
)

// DefaultCatalog is the catalog embedded in the binary (prices/*.json).
func DefaultCatalog() (*Catalog, error) {
	defaultOnce.Do(func() {
		files, err := embedded.ReadDir("prices")
		if err != nil {
			defaultErr = err
			return
		}
		var all []RegionPrices
		for _, f := range files {
			b, err := embedded.ReadFile("prices/" + f.Name())
			if err != nil {
				defaultErr = err
				return
			}
			var rp RegionPrices
			if err := json.Unmarshal(b, &rp); err != nil {
				defaultErr = fmt.Errorf("prices/%s: %w", f.Name(), err)
				return
			}
			all = append(all, rp)
		}
		defaultCatalog, defaultErr = NewCatalog(all...)
	})
	return defaultCatalog, defaultErr
}

// NewCatalog builds a catalog; a key given twice in a region is an error.
func NewCatalog(regions ...RegionPrices) (*Catalog, error) {
	c := &Catalog{regions: map[string]map[Key]*Price{}}
	for _, rp := range regions {
		m := c.regions[rp.Region]
		if m == nil {
			m = map[Key]*Price{}
			c.regions[rp.Region] = m
		}
		for i := range rp.Prices {
			p := rp.Prices[i]
			key, err := ParseKey(p.Key)
			if err != nil {
				return nil, fmt.Errorf("catalog: %s: %w", rp.Region, err)
			}
			if _, dup := m[key]; dup {
				return nil, fmt.Errorf("catalog: %s has price %s twice", rp.Region, p.Key)
			}
			if p.Source == "" || p.Date == "" {
				return nil, fmt.Errorf("catalog: %s %s has no source or date", rp.Region, p.Key)
			}
			m[key] = &p
		}
	}
	return c, nil
}

// Regions lists the regions the catalog prices.
func (c *Catalog) Regions() []string {
	out := make([]string, 0, len(c.regions))
	for r := range c.regions {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// Lookup returns a price, or nil when the catalog has none.
func (c *Catalog) Lookup(region string, key Key) *Price { return c.regions[region][key] }

// Keys lists a region's price keys.
func (c *Catalog) Keys(region string) []Key {
	out := make([]Key, 0, len(c.regions[region]))
	for k := range c.regions[region] {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// Component looks a price up and returns the priced component; a missing
// price leaves Price nil, so it is reported, never priced as zero in silence.
func (c *Catalog) Component(region, name, unit string, key Key, quantity decimal.Decimal) Component {
	return Component{Name: name, Unit: unit, Quantity: quantity, Price: c.Lookup(region, key), PriceKey: key, Region: region}
}
