package costdiff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

type tenantInfo struct {
	tier, placement, sizing, phase string
	cost                           decimal.Decimal
	// stack is what the tenant's own resources (its dedicated stack) cost.
	stack decimal.Decimal
}

// tenants reads the stack resource's tenants, each with what its dedicated
// resources cost, and the stack's budget.
func tenants(p *Project) (map[string]tenantInfo, int) {
	out := map[string]tenantInfo{}
	meta := stackMeta(p)
	budget := 0
	if b, ok := meta["budgetUsd"].(float64); ok {
		budget = int(b)
	}
	own := map[string]decimal.Decimal{}
	for _, r := range p.Breakdown.Resources {
		if t := r.meta("tenant"); t != "" {
			own[t] = own[t].Add(money(r.MonthlyCost))
		}
	}
	list, _ := meta["tenants"].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		str := func(k string) string { s, _ := m[k].(string); return s }
		c := str("monthlyCost")
		out[str("id")] = tenantInfo{tier: str("tier"), placement: str("placement"), sizing: str("sizing"), phase: str("migration"),
			cost: money(&c), stack: own[str("id")]}
	}
	return out, budget
}

// tenantChanges lists each tenant whose place, size, tier or migration
// changed, and counts the rest whose share alone changed.
func (s *StackDiff) tenantChanges(base, head map[string]tenantInfo) {
	for _, id := range unionKeys(base, head) {
		b, inBase := base[id]
		h, inHead := head[id]
		tc := TenantChange{ID: id, Tier: h.tier, Baseline: b.cost, New: h.cost, KeptUSD: h.stack}
		switch {
		case !inBase:
			tc.Kind, tc.To = KindAdded, describe(h)
		case !inHead:
			tc.Kind, tc.Tier, tc.From = KindRemoved, b.tier, describe(b)
		case h.phase != b.phase && h.phase == "migrating":
			tc.Kind, tc.From, tc.To = KindStarted, describe(b), "shared"
		case h.phase != b.phase && h.phase == "verified":
			tc.Kind, tc.From, tc.To = KindVerified, "migrating", "verified"
		case h.phase != b.phase && h.phase == "" && h.placement == "shared":
			tc.Kind, tc.From, tc.To = KindFinished, b.phase, "shared"
		case b.placement != h.placement:
			tc.Kind, tc.From, tc.To = KindMoved, describe(b), describe(h)
			tc.Unsafe = b.placement == "dedicated" && h.phase == ""
		case b.sizing != h.sizing:
			tc.Kind, tc.From, tc.To = KindResized, describe(b), describe(h)
		case b.tier != h.tier:
			tc.Kind, tc.From, tc.To = KindTier, b.tier, h.tier
		default:
			if d := cents(h.cost).Sub(cents(b.cost)); !d.IsZero() {
				if h.placement == "shared" {
					s.OtherTenants++
					s.OtherTenantsDelta = s.OtherTenantsDelta.Add(d)
				} else {
					s.OtherDedicated++
					s.OtherDedicatedDelta = s.OtherDedicatedDelta.Add(d)
				}
			}
			continue
		}
		s.Tenants = append(s.Tenants, tc)
	}
	sortTenants(s.Tenants)
}

func sortTenants(ts []TenantChange) {
	sort.SliceStable(ts, func(i, j int) bool {
		if ts[i].Kind != ts[j].Kind {
			return ts[i].Kind < ts[j].Kind
		}
		return ts[i].ID < ts[j].ID
	})
}

func describe(t tenantInfo) string {
	if t.placement == "dedicated" && t.sizing != "" {
		return "dedicated (" + t.sizing + ")"
	}
	return t.placement
}

type priced struct {
	r    Resource
	cost decimal.Decimal
}

func byURN(p *Project) map[string]priced {
	out := map[string]priced{}
	for _, r := range p.Breakdown.Resources {
		if u := r.meta("urn"); u != "" {
			out[u] = priced{r, money(r.MonthlyCost)}
		}
	}
	return out
}

// explainResources lists the resource changes no tenant change explains;
// moved are tenants that left the stack for another.
func (s *StackDiff) explainResources(moved map[string]bool) {
	if s.bp == nil || s.hp == nil {
		return
	}
	explained := map[string]bool{}
	for _, t := range s.Tenants {
		explained[t.ID] = true
	}
	for id := range moved {
		explained[id] = true
	}
	s.Resources = resourceChanges(s.bp, s.hp, explained)
}

// resourceChanges lists the resources whose sizing attributes changed, and
// those added or removed that no tenant change explains (a tenant added
// brings its whole stack: the tenant line says so).
func resourceChanges(bp, hp *Project, explained map[string]bool) []ResourceChange {
	b, h := byURN(bp), byURN(hp)
	var out []ResourceChange
	for _, urn := range unionKeys(b, h) {
		br, inBase := b[urn]
		hr, inHead := h[urn]
		rc := ResourceChange{URN: urn, Baseline: br.cost, New: hr.cost, Attributes: []AttributeChange{}}
		switch {
		case inBase && inHead:
			rc.Kind, rc.Address, rc.Type = "changed", hr.r.Name, hr.r.meta("resourceType")
			rc.Attributes = attributeChanges(br.r, hr.r)
			if len(rc.Attributes) == 0 {
				continue
			}
		case inHead:
			if explainedBy(hr.r, explained) {
				continue
			}
			rc.Kind, rc.Address, rc.Type = "added", hr.r.Name, hr.r.meta("resourceType")
		default:
			if explainedBy(br.r, explained) {
				continue
			}
			rc.Kind, rc.Address, rc.Type = "removed", br.r.Name, br.r.meta("resourceType")
		}
		out = append(out, rc)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Change().Abs().GreaterThan(out[j].Change().Abs()) })
	return out
}

// explainedBy reports whether a tenant change explains a resource: it is
// the tenant's (its dedicated stack), or under the tenant's component in
// the shared tier (its alarms and audit log: "acme/acme-high-latency").
func explainedBy(r Resource, tenants map[string]bool) bool {
	if tenants[r.meta("tenant")] {
		return true
	}
	parent, _, ok := strings.Cut(r.Name, "/")
	return ok && (tenants[parent] || tenants[strings.TrimPrefix(parent, "tenant-")])
}

func attributes(r Resource) map[string]string {
	out := map[string]string{}
	m, _ := r.Metadata["attributes"].(map[string]any)
	for k, v := range m {
		out[k] = fmt.Sprint(v)
	}
	return out
}

func attributeChanges(b, h Resource) []AttributeChange {
	ba, ha := attributes(b), attributes(h)
	var out []AttributeChange
	for _, k := range unionKeys(ba, ha) {
		if ba[k] != ha[k] {
			out = append(out, AttributeChange{Name: k, From: orNone(ba[k]), To: orNone(ha[k])})
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// joinStackMoves turns a tenant added to one stack that was another's
// (a dedicated tenant given its own stack, or taken back) into one move:
// the stack it left drops the tenant's removal, or, where the tenant stays
// listed for its share of account-wide resources, stops counting it among
// the others.
func (r *Result) joinStackMoves() {
	for i := range r.Stacks {
		s := &r.Stacks[i]
		for j, t := range s.Tenants {
			if t.Kind != KindAdded {
				continue
			}
			for k := range r.Stacks {
				src := &r.Stacks[k]
				was, ok := src.bt[t.ID]
				if k == i || !ok || was.placement != "dedicated" {
					continue
				}
				t.Baseline = was.cost
				if still, ok := src.ht[t.ID]; ok {
					t.New = t.New.Add(still.cost)
					if d := cents(still.cost).Sub(cents(was.cost)); !d.IsZero() && still.placement == was.placement {
						src.OtherDedicated--
						src.OtherDedicatedDelta = src.OtherDedicatedDelta.Sub(d)
					}
				}
				src.Tenants = dropTenant(src.Tenants, t.ID)
				src.explainResources(map[string]bool{t.ID: true})
				t.Kind, t.From, t.To = KindMoveStack, src.Name, s.Name
				s.Tenants[j] = t
				break
			}
		}
		sortTenants(s.Tenants)
	}
}

func dropTenant(ts []TenantChange, id string) []TenantChange {
	out := ts[:0]
	for _, t := range ts {
		if t.ID != id {
			out = append(out, t)
		}
	}
	return out
}
