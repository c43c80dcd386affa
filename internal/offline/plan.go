package offline

import (
	"fmt"
	"sort"
	"sync"

	"github.com/tenancy-dev/tenancy/internal/graph"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/program"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Component type tokens that mark a tenant's resources.
const (
	TypeDedicatedTenant = graph.TypeDedicatedTenant
	TypeSharedTenant    = graph.TypeSharedTenant
	TypeSharedTier      = graph.TypeSharedTier
	rootStackType       = graph.TypeStack
)

// Plan is the resource graph one evaluation of the program registered.
type Plan struct {
	Config    *stacks.Config
	StackURN  string
	Resources []Resource // sorted by URN

	graphOnce sync.Once
	graph     *graph.Graph
}

// Graph is the plan as plain data (inputs with secrets masked), for the cost
// model and the tree logic.
func (p *Plan) Graph() *graph.Graph {
	p.graphOnce.Do(func() {
		nodes := make([]graph.Node, len(p.Resources))
		for i, r := range p.Resources {
			nodes[i] = graph.Node{URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent, Custom: r.Custom,
				Provider: r.Provider, ID: r.ID, Protect: r.Protect, RetainOnDelete: r.RetainOnDelete, Inputs: r.PlainInputs()}
		}
		p.graph = graph.New(nodes)
	})
	return p.graph
}

// node is r's node in the graph.
func (p *Plan) node(r Resource) graph.Node {
	g := p.Graph()
	i := sort.Search(len(g.Nodes), func(i int) bool { return g.Nodes[i].URN >= r.URN })
	return g.Nodes[i]
}

// Run evaluates the program for cfg under mocks and returns what it registered.
// Evaluate runs the program on cfg under mocks and returns its resources:
// the costing.Evaluator the CLI and the tests price with.
func Evaluate(cfg *stacks.Config) (*graph.Graph, error) {
	p, err := Run(cfg)
	if err != nil {
		return nil, err
	}
	return p.Graph(), nil
}

func Run(cfg *stacks.Config) (*Plan, error) {
	rec := newRecorder(cfg.Project, cfg.Stack, cfg.Region)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error { return program.Build(ctx, cfg) },
		pulumi.WithMocks(cfg.Project, cfg.Stack, rec),
		func(info *pulumi.RunInfo) { info.RootDirectory = cfg.Dir })
	if err != nil {
		return nil, fmt.Errorf("evaluating %s/%s: %w", cfg.Project, cfg.Stack, err)
	}
	p := &Plan{Config: cfg, StackURN: string(resource.NewURN(tokens.QName(cfg.Stack), tokens.PackageName(cfg.Project), "",
		rootStackType, cfg.Project+"-"+cfg.Stack)), Resources: rec.resources}
	sort.Slice(p.Resources, func(i, j int) bool { return p.Resources[i].URN < p.Resources[j].URN })
	return p, nil
}

// Custom returns the custom (cloud) resources, optionally of one type.
func (p *Plan) Custom(typ string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Custom && !isProvider(r.Type) && (typ == "" || r.Type == typ) {
			out = append(out, r)
		}
	}
	return out
}

// isProvider reports whether a type token is a provider (explicit providers
// are custom resources to the engine, but nothing in the cloud).
func isProvider(typ string) bool { return graph.IsProvider(typ) }

// CountByType counts cloud resources per type token.
func (p *Plan) CountByType() map[string]int {
	out := map[string]int{}
	for _, r := range p.Custom("") {
		out[r.Type]++
	}
	return out
}

// TenantOf says which tenant a resource belongs to and how it is placed, or
// "" for platform resources.
func (p *Plan) TenantOf(r Resource) (id string, placement stacks.Placement) {
	g, n := p.Graph(), p.node(r)
	if d, _ := g.TenantOf(n); d != "" {
		return d, stacks.Dedicated
	}
	if s, ok := g.Ancestor(n, TypeSharedTenant); ok {
		return s.Name, stacks.Shared
	}
	return "", ""
}

// InSharedTier reports whether r is part of the shared tier.
func (p *Plan) InSharedTier(r Resource) bool {
	_, shared := p.Graph().TenantOf(p.node(r))
	return shared
}

// TenantCount is the custom resources of one tenant.
type TenantCount struct {
	ID        string
	Tier      stacks.Tier
	Placement stacks.Placement
	Resources int
	ByType    map[string]int
}

// CountByTenant counts each tenant's own custom resources, in registry order.
func (p *Plan) CountByTenant() []TenantCount {
	counts := map[string]*TenantCount{}
	for _, r := range p.Resources {
		if !r.Custom {
			continue
		}
		id, placement := p.TenantOf(r)
		if id == "" {
			continue
		}
		c := counts[id]
		if c == nil {
			c = &TenantCount{ID: id, Placement: placement, ByType: map[string]int{}}
			counts[id] = c
		}
		c.Resources++
		c.ByType[r.Type]++
	}
	var out []TenantCount
	for _, t := range p.Config.Tenants {
		if c, ok := counts[t.ID]; ok {
			c.Tier = t.Tier
			out = append(out, *c)
		}
	}
	return out
}

// Input returns a resource input as a plain Go value ("[secret]" for secrets).
func (r Resource) Input(key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return plain(v)
}

// Reveal returns a resource input as a plain Go value with secrets shown,
// for checks that must read them (never for output).
func (r Resource) Reveal(key string) any {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok {
		return nil
	}
	return plainValue(v, true)
}

// PlainInputs returns all inputs as plain Go values, secrets masked.
func (r Resource) PlainInputs() map[string]any {
	out := make(map[string]any, len(r.Inputs))
	for k, v := range r.Inputs {
		out[string(k)] = plain(v)
	}
	return out
}

// plain turns a property value into JSON-able Go, masking secrets as Pulumi's
// own JSON output does and marking values not known before deployment.
func plain(v resource.PropertyValue) any { return plainValue(v, false) }

func plainValue(v resource.PropertyValue, reveal bool) any {
	switch {
	case v.IsSecret() && reveal:
		return plainValue(v.SecretValue().Element, reveal)
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed():
		return "[unknown]"
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret && !reveal {
			return "[secret]"
		}
		if !o.Known {
			return "[unknown]"
		}
		return plainValue(o.Element, reveal)
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = plainValue(e, reveal)
		}
		return out
	case v.IsObject():
		obj := v.ObjectValue()
		out := make(map[string]any, len(obj))
		for k, e := range obj {
			out[string(k)] = plainValue(e, reveal)
		}
		return out
	case v.IsNull():
		return nil
	default:
		return v.V
	}
}
