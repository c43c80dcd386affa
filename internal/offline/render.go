package offline

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tenancy-dev/tenancy/stacks"
)

// PreviewJSON is the subset of `pulumi preview --json` that tools read:
// steps[] with op, urn and newState{type, custom, parent, inputs}.
type PreviewJSON struct {
	Steps         []PreviewStep  `json:"steps"`
	ChangeSummary map[string]int `json:"changeSummary"`
}

// PreviewStep is one step of a preview.
type PreviewStep struct {
	Op       string       `json:"op"`
	URN      string       `json:"urn"`
	Provider string       `json:"provider,omitempty"`
	NewState PreviewState `json:"newState"`
}

// PreviewState is a step's new state.
type PreviewState struct {
	URN            string         `json:"urn"`
	ID             string         `json:"id,omitempty"`
	Type           string         `json:"type"`
	Custom         bool           `json:"custom"`
	Parent         string         `json:"parent,omitempty"`
	Protect        bool           `json:"protect,omitempty"`
	RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
	IgnoreChanges  []string       `json:"ignoreChanges,omitempty"`
	Inputs         map[string]any `json:"inputs"`
}

// PreviewJSON returns the plan as a first preview of an empty stack: every
// resource, the stack itself first, is a create.
func (p *Plan) PreviewJSON() PreviewJSON {
	out := PreviewJSON{ChangeSummary: map[string]int{"create": len(p.Resources) + 1}}
	out.Steps = append(out.Steps, PreviewStep{Op: "create", URN: p.StackURN,
		NewState: PreviewState{URN: p.StackURN, Type: rootStackType, Inputs: map[string]any{}}})
	for _, r := range p.Resources {
		out.Steps = append(out.Steps, PreviewStep{Op: "create", URN: r.URN, Provider: r.Provider, NewState: PreviewState{
			URN: r.URN, ID: r.ID, Type: r.Type, Custom: r.Custom, Parent: r.Parent, Protect: r.Protect, RetainOnDelete: r.RetainOnDelete,
			IgnoreChanges: r.IgnoreChanges, Inputs: r.PlainInputs(),
		}})
	}
	return out
}

// WriteJSON writes the preview JSON, indented.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p.PreviewJSON())
}

// shortType turns "aws:rds/clusterInstance:ClusterInstance" into "rds:ClusterInstance".
func shortType(t string) string {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t
	}
	mod, _, _ := strings.Cut(parts[1], "/")
	if parts[0] == "tenancy" || parts[0] == "pulumi" {
		return parts[0] + ":" + parts[2]
	}
	if parts[0] != "aws" {
		return parts[0] + ":" + parts[2]
	}
	return mod + ":" + parts[2]
}

// TextOptions choose how much of the plan WriteText shows.
type TextOptions struct {
	// Resources lists every resource in the tree (implies Tenants' tree).
	Resources bool
	// Tenants shows each tenant's component in the tree and the count of
	// resources by tenant; without it, tenants of a kind fold into one line.
	Tenants bool
}

// WriteText writes the human report, what the stack is first: the
// highlights, the totals, the data-safety notes, the component tree, the
// counts by type (and by tenant with Tenants), and a closing summary.
func (p *Plan) WriteText(w io.Writer, o TextOptions) {
	c := p.Config
	fmt.Fprintf(w, "tenancy offline preview: project %s, stack %s, topology %s, region %s (Pulumi mocks: no AWS account, nothing created)\n",
		c.Project, c.Stack, c.Topology, c.Region)
	for _, warn := range c.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	fmt.Fprintln(w, "\nHighlights")
	for _, line := range p.Highlights() {
		fmt.Fprintf(w, "  %s\n", line)
	}
	custom, providers := len(p.Custom("")), 0
	for _, r := range p.Resources {
		if isProvider(r.Type) {
			providers++
		}
	}
	fmt.Fprintf(w, "\n%d resources: %d cloud resources, %d components (the stack included), %d explicit provider(s)\n",
		len(p.Resources)+1, custom, len(p.Resources)-custom-providers+1, providers)
	p.writeDataSafety(w)
	p.writeTree(w, o)
	p.writeByType(w)
	tenants := p.CountByTenant()
	var nShared, nDedicated int
	for _, t := range tenants {
		if t.Placement == "dedicated" {
			nDedicated++
		} else {
			nShared++
		}
	}
	if o.Tenants || o.Resources {
		fmt.Fprintf(w, "\nResources by tenant (%d dedicated, %d shared; the shared tier itself is counted above)\n", nDedicated, nShared)
		for _, t := range tenants {
			fmt.Fprintf(w, "  %-20s %-10s %-9s %4d  %s\n", t.ID, t.Tier, t.Placement, t.Resources, typeList(shortTypes(t.ByType)))
		}
	}
	fmt.Fprintf(w, "\n%s/%s: %d cloud resources for %d tenants (%d dedicated, %d shared).", c.Project, c.Stack, custom, nDedicated+nShared, nDedicated, nShared)
	if !o.Tenants && !o.Resources {
		fmt.Fprint(w, " --tenants lists each tenant, --resources every resource; `tenancy cost` prices them.")
	}
	fmt.Fprintln(w)
}

// writeDataSafety notes the tenants whose dedicated stack is kept while they move.
func (p *Plan) writeDataSafety(w io.Writer) {
	c := p.Config
	migrating := c.MigratingTenants()
	var ending []string
	for _, t := range c.DedicatedTenants() {
		if t.Decommission {
			ending = append(ending, t.ID)
		}
	}
	if len(migrating) == 0 && len(ending) == 0 {
		return
	}
	fmt.Fprintln(w, "\nData safety")
	for _, id := range ending {
		fmt.Fprintf(w, "  %s is being decommissioned: its dedicated stack is kept, unprotected and still serving, with final snapshots on and its key and logs retained: remove its entry in %s to remove the stack\n", id, c.RegistryFile)
	}
	for _, t := range migrating {
		switch t.Phase() {
		case stacks.Migrating:
			fmt.Fprintf(w, "  %s is served by the shared tier; its dedicated stack and database are kept, protected, until %s sets migration.dataVerified: true\n", t.ID, c.RegistryFile)
		case stacks.Verified:
			fmt.Fprintf(w, "  %s's data is verified on the shared tier; its dedicated stack is kept, unprotected, with final snapshots on and its key and logs retained: remove its migration entry in %s to remove the stack\n", t.ID, c.RegistryFile)
		}
	}
}

// foldAbove is how many components of one tenant type the tree shows before
// it folds them into one line (without --tenants).
const foldAbove = 3

// writeTree writes the component tree with what each component holds.
func (p *Plan) writeTree(w io.Writer, o TextOptions) {
	c := p.Config
	children := map[string][]Resource{}
	for _, r := range p.Resources {
		children[r.Parent] = append(children[r.Parent], r)
	}
	fmt.Fprintf(w, "\n%s %s-%s\n", rootStackType, c.Project, c.Stack)
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		var comps []Resource
		direct := map[string]int{}
		folded := map[string][]Resource{}
		for _, k := range children[parent] {
			switch {
			case k.Custom && !isProvider(k.Type) && !o.Resources:
				direct[shortType(k.Type)]++
			case !k.Custom && !o.Tenants && !o.Resources && (k.Type == TypeSharedTenant || k.Type == TypeDedicatedTenant):
				folded[k.Type] = append(folded[k.Type], k)
			default:
				comps = append(comps, k)
			}
		}
		for typ, ks := range folded {
			if len(ks) <= foldAbove {
				comps = append(comps, ks...)
				delete(folded, typ)
			}
		}
		if len(direct) > 0 {
			fmt.Fprintf(w, "%s  %s\n", indent, typeList(direct))
		}
		lines := len(comps) + len(folded)
		line := 0
		branch := func() (string, string) {
			line++
			if line == lines {
				return "└─ ", "   "
			}
			return "├─ ", "│  "
		}
		for _, typ := range []string{TypeDedicatedTenant, TypeSharedTenant} {
			if ks, ok := folded[typ]; ok {
				n := 0
				for _, k := range ks {
					n += p.customBelow(k.URN, children)
				}
				b, _ := branch()
				fmt.Fprintf(w, "%s%s%d × %s (%d resources in all; --tenants lists them)\n", indent, b, len(ks), shortType(typ), n)
			}
		}
		for _, k := range comps {
			b, next := branch()
			label := shortType(k.Type) + " " + k.Name
			if isProvider(k.Type) {
				label = fmt.Sprintf("provider %s %s (region %v)", strings.TrimPrefix(k.Type, "pulumi:providers:"), k.Name, k.Input("region"))
			}
			if k.Custom {
				fmt.Fprintf(w, "%s%s%s\n", indent, b, label)
				continue
			}
			fmt.Fprintf(w, "%s%s%s (%d resources)\n", indent, b, label, p.customBelow(k.URN, children))
			walk(k.URN, indent+next)
		}
	}
	walk(p.StackURN, "")
}

// writeByType writes the count of cloud resources by type.
func (p *Plan) writeByType(w io.Writer) {
	byType := p.CountByType()
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	fmt.Fprintln(w, "\nResources by type")
	for _, t := range types {
		fmt.Fprintf(w, "  %5d  %s\n", byType[t], t)
	}
}

func (p *Plan) customBelow(urn string, children map[string][]Resource) int {
	n := 0
	for _, k := range children[urn] {
		if isProvider(k.Type) {
			continue
		}
		if k.Custom {
			n++
		} else {
			n += p.customBelow(k.URN, children)
		}
	}
	return n
}

func shortTypes(m map[string]int) map[string]int {
	out := map[string]int{}
	for t, n := range m {
		out[shortType(t)] += n
	}
	return out
}

// typeList renders {"ec2:Subnet": 6} as "6 ec2:Subnet", sorted.
func typeList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}

// Highlights are the facts a reviewer checks first: sizes, counts and
// protections of the tiers' main resources.
func (p *Plan) Highlights() []string {
	out := p.sharedHighlights()
	if d := p.dedicatedHighlight(); d != "" {
		out = append(out, d)
	}
	for _, s := range p.Config.Sized {
		out = append(out, "sized automatically: "+s)
	}
	return out
}

// sharedHighlights says what the shared tier is: its app tier, database,
// cache, edge, audit log and tenant-data key.
func (p *Plan) sharedHighlights() []string {
	var out []string
	str := func(v any) string { return fmt.Sprint(v) }
	for _, asg := range p.Custom("aws:autoscaling/group:Group") {
		lt := p.sibling(asg, "aws:ec2/launchTemplate:LaunchTemplate")
		out = append(out, fmt.Sprintf("shared app tier: Auto Scaling group of %s, min %s / desired %s / max %s, health check %s",
			str(lt.Input("instanceType")), str(asg.Input("minSize")), str(asg.Input("desiredCapacity")), str(asg.Input("maxSize")), str(asg.Input("healthCheckType"))))
	}
	for _, cl := range p.Custom("aws:rds/cluster:Cluster") {
		n, class := 0, ""
		for _, ci := range p.Custom("aws:rds/clusterInstance:ClusterInstance") {
			if ci.Parent == cl.Parent {
				n++
				class = str(ci.Input("instanceClass"))
			}
		}
		out = append(out, fmt.Sprintf("shared database: %s %s, %d instances of %s, encrypted %v, deletion protection %v, protect %v",
			str(cl.Input("engine")), str(cl.Input("engineVersion")), n, class, cl.Input("storageEncrypted"), cl.Input("deletionProtection"), cl.Protect))
	}
	for _, rg := range p.Custom("aws:elasticache/replicationGroup:ReplicationGroup") {
		if p.InSharedTier(rg) {
			out = append(out, fmt.Sprintf("shared cache: Redis %s, %s nodes of %s, failover %v, encrypted at rest %v / in transit %v",
				str(rg.Input("engineVersion")), str(rg.Input("numCacheClusters")), str(rg.Input("nodeType")),
				rg.Input("automaticFailoverEnabled"), rg.Input("atRestEncryptionEnabled"), rg.Input("transitEncryptionEnabled")))
		}
	}
	sharedALB, _ := p.splitCount("aws:lb/loadBalancer:LoadBalancer")
	sharedNAT, _ := p.splitCount("aws:ec2/natGateway:NatGateway")
	if sharedALB+sharedNAT > 0 {
		out = append(out, fmt.Sprintf("shared edge: %d ALB, %d NAT gateway", sharedALB, sharedNAT))
	}
	for _, lg := range p.Custom("aws:cloudwatch/logGroup:LogGroup") {
		if lg.Input("name") == stacks.AuditLogGroupName {
			streams := len(p.Custom("aws:cloudwatch/logStream:LogStream"))
			out = append(out, fmt.Sprintf("audit log group %s: %d tenant streams, retention %s days, KMS-encrypted %v",
				str(lg.Input("name")), streams, str(lg.Input("retentionInDays")), lg.Input("kmsKeyId") != nil))
		}
	}
	for _, k := range p.Custom("aws:kms/key:Key") {
		if strings.HasSuffix(k.Name, "-tenant-data") {
			out = append(out, "tenant-data KMS key: data keys only with a tenant_id encryption context, rotation "+str(k.Input("enableKeyRotation")))
		}
	}
	return out
}

// dedicatedHighlight counts the dedicated stacks and their shapes; "" when
// there are none.
func (p *Plan) dedicatedHighlight() string {
	str := func(v any) string { return fmt.Sprint(v) }
	n := 0
	for _, r := range p.Resources {
		if r.Type == TypeDedicatedTenant {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	_, dedicatedALB := p.splitCount("aws:lb/loadBalancer:LoadBalancer")
	_, dedicatedNAT := p.splitCount("aws:ec2/natGateway:NatGateway")
	shapes := map[string]int{}
	for _, c := range p.Resources {
		if !c.Custom {
			continue
		}
		if _, placement := p.TenantOf(c); placement != "dedicated" {
			continue
		}
		switch c.Type {
		case "aws:ec2/instance:Instance":
			shapes["app "+str(c.Input("instanceType"))]++
		case "aws:rds/instance:Instance":
			shapes[fmt.Sprintf("db %s multi-AZ %v", str(c.Input("instanceClass")), c.Input("multiAz"))]++
		case "aws:elasticache/replicationGroup:ReplicationGroup":
			shapes[fmt.Sprintf("cache %s x%s", str(c.Input("nodeType")), str(c.Input("numCacheClusters")))]++
		}
	}
	return fmt.Sprintf("dedicated tenant stacks: %d (ALBs: %d, NAT gateways: %d); %s", n, dedicatedALB, dedicatedNAT, typeList(shapes))
}

// splitCount counts the resources of a type in the shared tier and outside it.
func (p *Plan) splitCount(typ string) (shared, other int) {
	for _, r := range p.Custom(typ) {
		if p.InSharedTier(r) {
			shared++
		} else {
			other++
		}
	}
	return shared, other
}

func (p *Plan) sibling(r Resource, typ string) Resource {
	for _, s := range p.Resources {
		if s.Parent == r.Parent && s.Type == typ {
			return s
		}
	}
	return Resource{}
}
