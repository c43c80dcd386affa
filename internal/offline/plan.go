package offline

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/tenancy-dev/tenancy/stacks"
)

// Component type tokens that mark a tenant's resources.
const (
	TypeDedicatedTenant = "tenancy:index:DedicatedTenant"
	TypeSharedTenant    = "tenancy:index:SharedTenant"
	TypeSharedTier      = "tenancy:index:SharedTier"
	rootStackType       = "pulumi:pulumi:Stack"
)

// Plan is the resource graph one evaluation of the program registered.
type Plan struct {
	Config    *stacks.Config
	StackURN  string
	Resources []Resource // sorted by URN
	byURN     map[string]int
}

// Run evaluates the program for cfg under mocks and returns what it registered.
func Run(cfg *stacks.Config) (*Plan, error) {
	rec := newRecorder(cfg.Project, cfg.Stack, cfg.Region)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error { return stacks.Build(ctx, cfg) },
		pulumi.WithMocks(cfg.Project, cfg.Stack, rec),
		func(info *pulumi.RunInfo) { info.RootDirectory = cfg.Dir })
	if err != nil {
		return nil, fmt.Errorf("evaluating %s/%s: %w", cfg.Project, cfg.Stack, err)
	}
	p := &Plan{Config: cfg, StackURN: string(resource.NewURN(tokens.QName(cfg.Stack), tokens.PackageName(cfg.Project), "",
		rootStackType, cfg.Project+"-"+cfg.Stack)), Resources: rec.resources}
	sort.Slice(p.Resources, func(i, j int) bool { return p.Resources[i].URN < p.Resources[j].URN })
	p.byURN = make(map[string]int, len(p.Resources))
	for i, r := range p.Resources {
		p.byURN[r.URN] = i
	}
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
func isProvider(typ string) bool { return strings.HasPrefix(typ, "pulumi:providers:") }

// CountByType counts cloud resources per type token.
func (p *Plan) CountByType() map[string]int {
	out := map[string]int{}
	for _, r := range p.Custom("") {
		out[r.Type]++
	}
	return out
}

// Ancestor returns the nearest ancestor of r (r itself included) of type typ.
func (p *Plan) Ancestor(r Resource, typ string) (Resource, bool) {
	for {
		if r.Type == typ {
			return r, true
		}
		i, ok := p.byURN[r.Parent]
		if !ok {
			return Resource{}, false
		}
		r = p.Resources[i]
	}
}

// TenantOf says which tenant a resource belongs to and how it is placed, or
// "" for platform resources.
func (p *Plan) TenantOf(r Resource) (id string, placement stacks.Placement) {
	if d, ok := p.Ancestor(r, TypeDedicatedTenant); ok {
		return strings.TrimPrefix(d.Name, "tenant-"), stacks.Dedicated
	}
	if s, ok := p.Ancestor(r, TypeSharedTenant); ok {
		return s.Name, stacks.Shared
	}
	return "", ""
}

// InSharedTier reports whether r is part of the shared tier.
func (p *Plan) InSharedTier(r Resource) bool {
	_, ok := p.Ancestor(r, TypeSharedTier)
	return ok
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
