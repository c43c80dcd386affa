package stacks

import (
	"fmt"
	"math"
	"strconv"
	"sync"

	"github.com/tenancy-dev/tenancy/cost"
)

// The capacity model: each resource's demand at the tenants' peak (from the
// workload model) against the capacity of its configured size (from the
// shapes' specifications), with the smallest size that fits. The preview
// fails when a demand exceeds its capacity, warns under the configured
// headroom, and auto sizing grows each size to fit (docs/capacity.md).

// Check is one resource's peak demand against its capacity.
type Check struct {
	Owner    string  // "shared", or the dedicated tenant's id
	Resource string  // what is measured, e.g. "cache memory"
	Unit     string  // the unit of Demand and Capacity
	Demand   float64 // at the peak
	Capacity float64 // of the configured size; 0 when Elastic
	// Elastic: AWS scales the resource on demand (and bills it so); there
	// is no size to choose.
	Elastic bool
	Size    string // the configured size, as a reader checks it
	Basis   string // how Demand is computed
	// Fits is the smallest size that fits with the headroom, when Size does
	// not; "" when it does, or when nothing in the family does (NoFit).
	Fits  string
	NoFit string // why no offered size fits, with how far the largest falls short

	knob *knob // what sizes it; nil for a fixed AWS limit
}

// knob is the setting a check's capacity follows, and its candidate values
// from the configured one upwards.
type knob struct {
	File, Field string
	Line        int
	options     []string
	capacity    func(option string) float64
	apply       func(c *Config, option string)
	describe    func(option string) string
	// setting is the config change an option is, as a user writes it;
	// nil: "Field: option".
	setting func(option string) string
}

// Setting is the config change that picks option.
func (k *knob) Setting(option string) string {
	if k.setting != nil {
		return k.setting(option)
	}
	if d := k.describe(option); d != option {
		return fmt.Sprintf("%s: %s (%s)", k.Field, option, d)
	}
	return k.Field + ": " + option
}

// Headroom is the share of capacity left at the peak (negative: over).
func (k Check) Headroom() float64 {
	if k.Elastic || k.Capacity == 0 {
		return 1
	}
	return 1 - k.Demand/k.Capacity
}

// Verdict is ok, low headroom, over capacity or elastic.
func (k Check) Verdict(headroomPercent int) string {
	switch {
	case k.Elastic:
		return "elastic"
	case k.Demand > k.Capacity:
		return "over capacity"
	case k.Headroom() < float64(headroomPercent)/100-1e-9: // 200 GB on 250 is 20%, not 19.99...
		return "low headroom"
	}
	return "ok"
}

// fit finds the first option of the knob that holds the demand with the
// headroom; "" and the reason when none does.
func (k *Check) fit(headroomPercent int) {
	k.Fits, k.NoFit = "", ""
	if k.knob == nil || k.Verdict(headroomPercent) == "ok" || k.Elastic {
		return
	}
	keep := 1 - float64(headroomPercent)/100
	for _, o := range k.knob.options {
		if k.Demand <= k.knob.capacity(o)*keep+1e-9 {
			k.Fits = o
			return
		}
	}
	largest := k.knob.options[len(k.knob.options)-1]
	k.NoFit = fmt.Sprintf("no %s fits: the largest, %s, holds %s %s with %d%% headroom, %s short",
		k.knob.Field, k.knob.describe(largest), FormatQuantity(k.knob.capacity(largest)*keep), k.Unit, headroomPercent,
		FormatQuantity(k.Demand-k.knob.capacity(largest)*keep))
}

// FormatQuantity prints a quantity with the precision a reader needs.
func FormatQuantity(f float64) string {
	switch a := math.Abs(f); {
	case f == math.Trunc(f):
		return strconv.FormatFloat(f, 'f', 0, 64)
	case a >= 100:
		return strconv.FormatFloat(math.Round(f), 'f', -1, 64)
	case a >= 10:
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

// Capacity is every check of the stack: the shared tier's resources, then
// each dedicated stack's (kept ones of migrating tenants included), in
// registry order. The checks carry Fits for the
// configured headroom.
func Capacity(c *Config) ([]Check, error) {
	var out []Check
	if c.HasSharedTier() {
		cs, err := sharedChecks(c)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	// A tenant moving to the shared tier keeps its dedicated stack until its
	// data is verified: sized as it was, so the move changes nothing in it.
	for _, t := range append(c.DedicatedTenants(), c.MigratingTenants()...) {
		cs, err := dedicatedChecks(c, t)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	for i := range out {
		out[i].fit(c.HeadroomPercent)
	}
	return out, nil
}

// familyOptions are the offered shapes of kind in class's family, from
// class upwards.
func familyOptions(kind cost.ShapeKind, class string) []string {
	offered, err := offeredOf(kind)
	if err != nil {
		return []string{class}
	}
	family, _ := cost.SplitShape(class)
	var out []string
	for _, o := range offered {
		if f, _ := cost.SplitShape(o); f == family && (len(out) > 0 || o == class) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return []string{class}
	}
	return out
}

// SmallerInFamily is the offered shape of kind one size below class in its
// family, or "" when class is the family's smallest.
func SmallerInFamily(kind cost.ShapeKind, class string) string {
	offered, err := offeredOf(kind)
	if err != nil {
		return ""
	}
	family, _ := cost.SplitShape(class)
	prev := ""
	for _, o := range offered {
		if f, _ := cost.SplitShape(o); f != family {
			continue
		}
		if o == class {
			return prev
		}
		prev = o
	}
	return ""
}

// offered caches the catalog's offered shapes per kind, for the validator
// (a shape per tenant) and the sizer (a family per resource): a 5,000-tenant
// stack asks for them thousands of times.
var offered sync.Map // cost.ShapeKind -> []string

func offeredOf(kind cost.ShapeKind) ([]string, error) {
	if v, ok := offered.Load(kind); ok {
		return v.([]string), nil
	}
	cat, err := cost.DefaultCatalog()
	if err != nil {
		return nil, err
	}
	list := cat.Offered(kind)
	offered.Store(kind, list)
	return list, nil
}

// peakConcurrency is a tenant's requests in flight at its peak (Little's
// law), held to the article's concurrency limit for its tier.
func peakConcurrency(t Tenant, p PlatformUsage) float64 {
	n := t.Workload.PeakRPS * p.RequestSeconds
	if limit := float64(TierLimits[t.Tier].MaxConcurrentRequests); limit > 0 && n > limit {
		return limit
	}
	return n
}

// peakMemoryGiB is the application memory a tenant's requests hold at its
// peak, held to the article's per-tenant memory limit.
func peakMemoryGiB(t Tenant, p PlatformUsage) float64 {
	mb := peakConcurrency(t, p) * t.Workload.MemoryMBPerRequest
	if limit := float64(TierLimits[t.Tier].MaxMemoryMB); limit > 0 && mb > limit {
		mb = limit
	}
	return mb / 1024
}

// peakRatio is a tenant's peak request rate over its month's average.
func peakRatio(w Workload) float64 {
	avg := w.RequestsMillions * 1e6 / (cost.HoursPerMonth.InexactFloat64() * 3600)
	if avg == 0 {
		return 1
	}
	return w.PeakRPS / avg
}

// sum adds f over tenants.
func sum(ts []Tenant, f func(Tenant) float64) float64 {
	total := 0.0
	for _, t := range ts {
		total += f(t)
	}
	return total
}

// gbToGiB converts the workload's decimal gigabytes.
func gbToGiB(gb float64) float64 { return gb / 1.073741824 }

// FitsSize describes the size that fits as a reader checks it ("" when
// none is needed or none fits).
func (k Check) FitsSize() string {
	if k.Fits == "" || k.knob == nil {
		return ""
	}
	return k.knob.describe(k.Fits)
}

// FitsSetting is the config change that picks the size that fits.
func (k Check) FitsSetting() string {
	if k.Fits == "" || k.knob == nil {
		return ""
	}
	return k.knob.Setting(k.Fits)
}
