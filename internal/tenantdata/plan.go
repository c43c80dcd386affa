package tenantdata

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Candidate is a tenant the plan considers: its tier, where it is, and the
// data a migration copies.
type Candidate struct {
	ID, Tier  string
	Dedicated bool   // on a dedicated stack now
	Stays     string // why it never moves ("compliance: dedicated-required"), or ""
	Phase     string // a migration under way ("migrating", "verified"), or ""
	DataGB    float64
}

// Wave is one tier's move: batches that run one after the other, each of up
// to Parallel tenants copied side by side.
type Wave struct {
	Tier     string        `json:"tier"`
	Batches  [][]string    `json:"batches"`
	Tenants  int           `json:"tenants"`
	DataGB   float64       `json:"dataGb"`
	Duration time.Duration `json:"estimatedDuration"`
	// Registry is the change the wave needs in the tenant registry.
	Registry string `json:"registryChange"`
}

// Plan is the whole move, in the article's order.
type Plan struct {
	Waves      []Wave   `json:"waves"`
	Stay       []string `json:"stayDedicated"`
	InProgress []string `json:"inProgress"`
	RateMBps   float64  `json:"rateMBps"`
	Parallel   int      `json:"parallel"`
}

// Order is the article's: free first (lowest risk), then pro, then enterprise.
var Order = []string{"free", "pro", "enterprise"}

// MakePlan groups the dedicated tenants that may move into one wave per
// tier, in Order. Within a wave, tenants are batched by data volume: the
// largest first, each batch up to parallel tenants, so the copies of one
// batch run side by side and take about as long as its largest. A batch
// lasts its largest tenant's data at rateMBps (each copy's own rate).
func MakePlan(cands []Candidate, parallel int, rateMBps float64) (*Plan, error) {
	if parallel < 1 {
		return nil, fmt.Errorf("--parallel must be at least 1")
	}
	if rateMBps <= 0 {
		return nil, fmt.Errorf("--rate-mbps must be positive")
	}
	p := &Plan{RateMBps: rateMBps, Parallel: parallel, Stay: []string{}, InProgress: []string{}, Waves: []Wave{}}
	byTier := map[string][]Candidate{}
	for _, c := range cands {
		switch {
		case c.Phase != "":
			p.InProgress = append(p.InProgress, c.ID+" ("+c.Phase+")")
		case !c.Dedicated:
		case c.Stays != "":
			p.Stay = append(p.Stay, c.ID+" ("+c.Stays+")")
		default:
			byTier[c.Tier] = append(byTier[c.Tier], c)
		}
	}
	for _, tier := range Order {
		cs := byTier[tier]
		if len(cs) == 0 {
			continue
		}
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].DataGB != cs[j].DataGB {
				return cs[i].DataGB > cs[j].DataGB
			}
			return cs[i].ID < cs[j].ID
		})
		w := Wave{Tier: tier, Tenants: len(cs)}
		var ids []string
		for start := 0; start < len(cs); start += parallel {
			batch := cs[start:min(start+parallel, len(cs))]
			var names []string
			for _, c := range batch {
				names = append(names, c.ID)
				w.DataGB += c.DataGB
			}
			ids = append(ids, names...)
			w.Batches = append(w.Batches, names)
			w.Duration += time.Duration(batch[0].DataGB * 1000 / rateMBps * float64(time.Second))
		}
		sort.Strings(ids)
		w.Registry = fmt.Sprintf("on %s: placement: shared and migration: {from: dedicated}; after `tenancy migrate tenant` verifies each, "+
			"`tenancy migrate mark-verified ID --record FILE`", joinIDs(ids))
		p.Waves = append(p.Waves, w)
	}
	return p, nil
}

func joinIDs(ids []string) string {
	if len(ids) <= 8 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more (see the batches)", strings.Join(ids[:8], ", "), len(ids)-8)
}
