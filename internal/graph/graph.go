// Package graph is the resource graph as plain data: what the cost model and
// the reports read, whether it came from the program under mocks, a real
// `pulumi preview --json` or a `pulumi stack export`.
package graph

import (
	"sort"
	"strings"
)

// Type tokens of tenancy's components that the graph reasons about.
const (
	TypeDedicatedTenant = "tenancy:index:DedicatedTenant"
	TypeSharedTenant    = "tenancy:index:SharedTenant"
	TypeSharedTier      = "tenancy:index:SharedTier"
	TypeNetwork         = "tenancy:index:Network"
	TypeStack           = "pulumi:pulumi:Stack"
)

// Unknown is how an input not known before deployment reads.
const Unknown = "[unknown]"

// Node is one resource.
type Node struct {
	URN            string
	Type           string
	Name           string
	Parent         string
	Custom         bool
	Provider       string
	ID             string // the physical id, when known
	Protect        bool
	RetainOnDelete bool
	Inputs         map[string]any
}

// Graph is a set of resources linked by parent.
type Graph struct {
	Nodes []Node // sorted by URN
	// Deleted are resources a preview deletes (or replaces: deletes first).
	Deleted  []Node
	byURN    map[string]int
	children map[string][]int
	byType   map[string][]int
}

// New indexes nodes; it sorts them by URN for stable output.
func New(nodes []Node) *Graph {
	g := &Graph{Nodes: nodes, byURN: make(map[string]int, len(nodes)), children: map[string][]int{}, byType: map[string][]int{}}
	sort.Slice(g.Nodes, func(i, j int) bool { return g.Nodes[i].URN < g.Nodes[j].URN })
	for i, n := range g.Nodes {
		g.byURN[n.URN] = i
	}
	for i, n := range g.Nodes {
		g.children[n.Parent] = append(g.children[n.Parent], i)
		g.byType[n.Type] = append(g.byType[n.Type], i)
	}
	return g
}

// NameFromURN is the resource name, the URN's last "::" part.
func NameFromURN(urn string) string { return urn[strings.LastIndex(urn, "::")+2:] }

// ByURN finds a node by its URN.
func (g *Graph) ByURN(urn string) (Node, bool) {
	i, ok := g.byURN[urn]
	if !ok {
		return Node{}, false
	}
	return g.Nodes[i], true
}

// ProviderRegion is the region of a node's explicit provider ("" when it
// uses the default provider or the provider sets no region). A provider
// reference is the provider's URN, "::" and its id.
func (g *Graph) ProviderRegion(n Node) string {
	if n.Provider == "" {
		return ""
	}
	urn := n.Provider
	if i := strings.LastIndex(urn, "::"); i > 0 && strings.HasPrefix(urn[:i], "urn:") && strings.Count(urn[:i], "::") >= 3 {
		urn = urn[:i]
	}
	if p, ok := g.ByURN(urn); ok {
		r, _ := p.Inputs["region"].(string)
		return r
	}
	return ""
}

// IsProvider reports whether a type is an explicit provider.
func IsProvider(typ string) bool { return strings.HasPrefix(typ, "pulumi:providers:") }

// Cloud reports whether a node is a cloud resource (custom, not a provider).
func (n Node) Cloud() bool { return n.Custom && !IsProvider(n.Type) }

// Ancestor returns the nearest ancestor of n (n included) of type typ.
func (g *Graph) Ancestor(n Node, typ string) (Node, bool) {
	for {
		if n.Type == typ {
			return n, true
		}
		i, ok := g.byURN[n.Parent]
		if !ok {
			return Node{}, false
		}
		n = g.Nodes[i]
	}
}

// Children are the nodes whose parent is urn.
func (g *Graph) Children(urn string) []Node {
	out := make([]Node, 0, len(g.children[urn]))
	for _, i := range g.children[urn] {
		out = append(out, g.Nodes[i])
	}
	return out
}

// Descendants are every node below urn.
func (g *Graph) Descendants(urn string) []Node {
	var out []Node
	for _, c := range g.Children(urn) {
		out = append(out, c)
		out = append(out, g.Descendants(c.URN)...)
	}
	return out
}

// OfType lists cloud nodes of a type.
func (g *Graph) OfType(typ string) []Node {
	var out []Node
	for _, i := range g.byType[typ] {
		out = append(out, g.Nodes[i])
	}
	return out
}

// TenantOf says which dedicated tenant a node belongs to, or whether it is on
// the shared tier.
func (g *Graph) TenantOf(n Node) (dedicated string, inSharedTier bool) {
	if d, ok := g.Ancestor(n, TypeDedicatedTenant); ok {
		return strings.TrimPrefix(d.Name, "tenant-"), false
	}
	_, ok := g.Ancestor(n, TypeSharedTier)
	return "", ok
}

// SharedTenantIDs are the tenants the graph serves from the shared tier.
func (g *Graph) SharedTenantIDs() []string {
	var out []string
	for _, n := range g.OfType(TypeSharedTenant) {
		out = append(out, n.Name)
	}
	return out
}

// DedicatedTenantIDs are the tenants with a dedicated stack in the graph.
func (g *Graph) DedicatedTenantIDs() []string {
	var out []string
	for _, n := range g.OfType(TypeDedicatedTenant) {
		out = append(out, strings.TrimPrefix(n.Name, "tenant-"))
	}
	return out
}

// Sibling is the first node of a type with the same parent as n.
func (g *Graph) Sibling(n Node, typ string) (Node, bool) {
	for _, s := range g.Children(n.Parent) {
		if s.Type == typ {
			return s, true
		}
	}
	return Node{}, false
}
