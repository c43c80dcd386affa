package offline

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tenancy-dev/tenancy/internal/graph"
	"github.com/tenancy-dev/tenancy/stacks"
)

// EvaluateScaled is Evaluate for stacks with many tenants alike: tenants
// (dedicated or shared) that differ only in id and name build the same
// resources with their id in the names, so the program is evaluated with
// one of each shape, under a placeholder id, and its resources are copied
// for every tenant of that shape with the placeholder replaced by the
// tenant's id.
// The graph is the one Evaluate gives (TestScaledEvaluationIsTheFullOne
// holds them equal); a placeholder found outside its tenant's resources
// falls back to the full evaluation.
func EvaluateScaled(cfg *stacks.Config) (*graph.Graph, error) {
	g, _, err := evaluateScaled(cfg)
	return g, err
}

// evaluateScaled also says whether the copies were used. It copies shared
// and dedicated tenants; when a shared tenant's id shows in the shared
// tier's own resources (the web ACL's host matches), dedicated tenants
// only; else it evaluates everything.
func evaluateScaled(cfg *stacks.Config) (*graph.Graph, bool, error) {
	// The web ACL's rate rules match each shared tenant's host: with them,
	// shared tenants cannot be copied, and trying costs an evaluation.
	for _, withShared := range []bool{!cfg.EdgeRateLimits, false} {
		groups := shapeGroups(cfg, withShared)
		if len(groups) == 0 {
			continue
		}
		plan, err := Run(reduce(cfg, groups))
		if err != nil {
			return nil, false, err
		}
		if nodes, ok := expand(plan.Graph().Nodes, groups); ok {
			return graph.New(nodes), true, nil
		}
	}
	g, err := Evaluate(cfg)
	return g, false, err
}

// reduce is cfg with each group's tenants replaced by one, under the
// group's placeholder id, where the group's first tenant was.
func reduce(cfg *stacks.Config, groups []shapeGroup) *stacks.Config {
	reduced := *cfg
	reduced.Tenants = nil
	groupOf := map[string]int{}
	for i, g := range groups {
		for _, t := range g.members {
			groupOf[t.ID] = i
		}
	}
	for _, t := range cfg.Tenants {
		i, grouped := groupOf[t.ID]
		switch {
		case !grouped:
			reduced.Tenants = append(reduced.Tenants, t)
		case groups[i].members[0].ID == t.ID:
			t.ID, t.Name = groups[i].placeholder, groups[i].placeholder
			reduced.Tenants = append(reduced.Tenants, t)
		}
	}
	return &reduced
}

// shapeGroup is tenants alike in all but id and name, with the
// placeholder their shape is evaluated under.
type shapeGroup struct {
	placeholder string
	members     []stacks.Tenant
}

// shapeGroups groups the stack's tenants by shape and placement; only groups of
// two or more save anything. The placeholder is as long as the longest id
// the registry accepts: every name built from an id fits AWS's limits
// untruncated (stacks.MaxTenantIDLength), so the id's length changes
// nothing else, and the test holds prod's ids of every length to it.
func shapeGroups(cfg *stacks.Config, withShared bool) []shapeGroup {
	byKey := map[string]int{}
	var out []shapeGroup
	tenants := cfg.DedicatedTenants()
	if withShared {
		tenants = append(tenants, cfg.SharedTenants()...)
	}
	for _, t := range tenants {
		if t.Phase() != "" {
			continue
		}
		shape := t
		shape.ID, shape.Name, shape.Line = "", "", 0
		shape.Placement = cfg.PlacementOf(t)
		b, err := json.Marshal(struct {
			T stacks.Tenant
			W stacks.Workload
		}{shape, t.Workload})
		if err != nil {
			return nil
		}
		k := string(b)
		i, seen := byKey[k]
		if !seen {
			i = len(out)
			byKey[k] = i
			out = append(out, shapeGroup{placeholder: placeholder(i, stacks.MaxTenantIDLength)})
		}
		out[i].members = append(out[i].members, t)
	}
	var groups []shapeGroup
	for _, g := range out {
		if len(g.members) > 1 {
			groups = append(groups, g)
		}
	}
	return groups
}

// placeholder is an id of n characters no AWS name or value holds: "qzx",
// the group's number in letters, padded with q.
func placeholder(group, n int) string {
	s := "qzx"
	for g := group; ; g /= 26 {
		s += string(rune('a' + g%26))
		if g < 26 {
			break
		}
	}
	if len(s) > n {
		return "" // too long to stand in for this id: expand refuses the group
	}
	return s + strings.Repeat("q", n-len(s))
}

// expand copies each group's resources for its members. It reports false
// when a placeholder appears where it should not (another tenant's or the
// stack's resources), or could not be made.
func expand(nodes []graph.Node, groups []shapeGroup) ([]graph.Node, bool) {
	g := graph.New(nodes)
	isPlaceholder := map[string]bool{}
	for _, gr := range groups {
		isPlaceholder[gr.placeholder] = true
	}
	subtree := map[string][]graph.Node{} // by placeholder
	var out []graph.Node
	for _, n := range g.Nodes {
		owner := tenantOf(g, n)
		if !isPlaceholder[owner] {
			if mentionsPlaceholder(n) {
				return nil, false
			}
			out = append(out, n)
			continue
		}
		subtree[owner] = append(subtree[owner], n)
	}
	for _, g := range groups {
		if g.placeholder == "" {
			return nil, false
		}
		for i, t := range g.members {
			r := renamer(g.placeholder, t.ID)
			for _, n := range subtree[g.placeholder] {
				c := rename(n, r)
				// What rename leaves of the placeholder does not depend on
				// the id: checking the first copy checks them all.
				if i == 0 && mentionsPlaceholder(c) {
					return nil, false // a form of the id rename does not know
				}
				out = append(out, c)
			}
		}
	}
	return out, true
}

// tenantOf is the tenant whose component n is or is under, dedicated or
// shared; "" for the stack's own resources.
func tenantOf(g *graph.Graph, n graph.Node) string {
	switch n.Type {
	case graph.TypeDedicatedTenant:
		return strings.TrimPrefix(n.Name, "tenant-")
	case graph.TypeSharedTenant:
		return n.Name
	}
	if d, ok := g.Ancestor(n, graph.TypeDedicatedTenant); ok {
		return strings.TrimPrefix(d.Name, "tenant-")
	}
	if s, ok := g.Ancestor(n, graph.TypeSharedTenant); ok {
		return s.Name
	}
	return ""
}

// mentionsPlaceholder reports whether a node holds a placeholder, in any
// case, anywhere.
func mentionsPlaceholder(n graph.Node) bool {
	has := func(s string) bool { return strings.Contains(strings.ToLower(s), "qzx") }
	if has(n.URN) || has(n.Name) || has(n.Parent) || has(n.ID) || has(n.Provider) {
		return true
	}
	found := false
	renameValue(n.Inputs, func(s string) string {
		found = found || has(s)
		return s
	})
	return found
}

// renamer replaces old by id in a string, and in the form AWS derives
// some resource ids from (a database's resource id is "db-" and the
// identifier upper-cased without hyphens).
func renamer(old, id string) func(string) string {
	upperOld, upperID := strings.ToUpper(old), strings.ToUpper(strings.ReplaceAll(id, "-", ""))
	return func(s string) string {
		if strings.Contains(s, old) {
			s = strings.ReplaceAll(s, old, id)
		}
		if strings.Contains(s, upperOld) {
			s = strings.ReplaceAll(s, upperOld, upperID)
		}
		return s
	}
}

// rename is n with every string it holds passed through r.
func rename(n graph.Node, r func(string) string) graph.Node {
	n.URN, n.Name, n.Parent, n.ID, n.Provider = r(n.URN), r(n.Name), r(n.Parent), r(n.ID), r(n.Provider)
	n.Inputs, _ = renameValue(n.Inputs, r).(map[string]any)
	return n
}

// renameValue passes every string of v through r. A map or list none of
// whose strings change is shared, not copied: copies of a tenant's
// resources share what does not name the tenant.
func renameValue(v any, r func(string) string) any {
	out, _ := renamed(v, r)
	return out
}

func renamed(v any, r func(string) string) (any, bool) {
	switch x := v.(type) {
	case string:
		s := r(x)
		return s, s != x
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			nk := r(k)
			ne, changed := renamed(e, r)
			if changed || nk != k {
				if out == nil {
					out = make(map[string]any, len(x))
					for k0, v0 := range x {
						out[k0] = v0
					}
				}
				if nk != k {
					delete(out, k)
				}
				out[nk] = ne
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	case []any:
		var out []any
		for i, e := range x {
			ne, changed := renamed(e, r)
			if changed {
				if out == nil {
					out = append([]any(nil), x...)
				}
				out[i] = ne
			}
		}
		if out == nil {
			return x, false
		}
		return out, true
	case nil, bool, float64, int, int64:
		return x, false
	default:
		panic(fmt.Sprintf("offline: a plain input of type %T", v))
	}
}
