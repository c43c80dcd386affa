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

// WriteText writes the human report: the component tree with what each
// component holds, highlights, and counts by type and by tenant.
func (p *Plan) WriteText(w io.Writer, everyResource bool) {
	c := p.Config
	fmt.Fprintf(w, "tenancy offline preview: project %s, stack %s, topology %s, region %s (Pulumi mocks: no AWS account, nothing created)\n",
		c.Project, c.Stack, c.Topology, c.Region)
	for _, warn := range c.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	custom, providers := len(p.Custom("")), 0
	for _, r := range p.Resources {
		if isProvider(r.Type) {
			providers++
		}
	}
	fmt.Fprintf(w, "\n%d resources: %d cloud resources, %d components (the stack included), %d explicit provider(s)\n",
		len(p.Resources)+1, custom, len(p.Resources)-custom-providers+1, providers)

	// Tree.
	children := map[string][]Resource{}
	for _, r := range p.Resources {
		children[r.Parent] = append(children[r.Parent], r)
	}
	fmt.Fprintf(w, "\n%s %s-%s\n", rootStackType, c.Project, c.Stack)
	var walk func(parent, indent string)
	walk = func(parent, indent string) {
		kids := children[parent]
		var comps []Resource
		direct := map[string]int{}
		for _, k := range kids {
			if isProvider(k.Type) {
				comps = append(comps, k)
			} else if k.Custom {
				if everyResource {
					comps = append(comps, k)
				} else {
					direct[shortType(k.Type)]++
				}
			} else {
				comps = append(comps, k)
			}
		}
		if len(direct) > 0 {
			fmt.Fprintf(w, "%s  %s\n", indent, typeList(direct))
		}
		for i, k := range comps {
			branch, next := "├─ ", "│  "
			if i == len(comps)-1 {
				branch, next = "└─ ", "   "
			}
			label := shortType(k.Type) + " " + k.Name
			if isProvider(k.Type) {
				label = fmt.Sprintf("provider %s %s (region %v)", strings.TrimPrefix(k.Type, "pulumi:providers:"), k.Name, k.Input("region"))
			}
			if k.Custom {
				fmt.Fprintf(w, "%s%s%s\n", indent, branch, label)
				continue
			}
			fmt.Fprintf(w, "%s%s%s (%d resources)\n", indent, branch, label, p.customBelow(k.URN, children))
			walk(k.URN, indent+next)
		}
	}
	walk(p.StackURN, "")

	// Data safety: tenants whose dedicated stack is kept while they move.
	if migrating := c.MigratingTenants(); len(migrating) > 0 {
		fmt.Fprintln(w, "\nData safety")
		for _, t := range migrating {
			switch t.Phase() {
			case stacks.Migrating:
				fmt.Fprintf(w, "  %s is served by the shared tier; its dedicated stack and database are kept, protected, until %s sets migration.dataVerified: true\n", t.ID, c.RegistryFile)
			case stacks.Verified:
				fmt.Fprintf(w, "  %s's data is verified on the shared tier; its dedicated stack is kept, unprotected, with final snapshots on and its key and logs retained: remove its migration entry in %s to remove the stack\n", t.ID, c.RegistryFile)
			}
		}
	}

	// Highlights.
	fmt.Fprintln(w, "\nHighlights")
	for _, line := range p.Highlights() {
		fmt.Fprintf(w, "  %s\n", line)
	}

	// By type.
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

	// By tenant.
	tenants := p.CountByTenant()
	var nShared, nDedicated int
	for _, t := range tenants {
		if t.Placement == "dedicated" {
			nDedicated++
		} else {
			nShared++
		}
	}
	fmt.Fprintf(w, "\nResources by tenant (%d dedicated, %d shared; the shared tier itself is counted above)\n", nDedicated, nShared)
	for _, t := range tenants {
		fmt.Fprintf(w, "  %-20s %-10s %-9s %4d  %s\n", t.ID, t.Tier, t.Placement, t.Resources, typeList(shortTypes(t.ByType)))
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
	var sharedALB, sharedNAT, dedicatedALB, dedicatedNAT int
	for _, r := range p.Custom("aws:lb/loadBalancer:LoadBalancer") {
		if p.InSharedTier(r) {
			sharedALB++
		} else {
			dedicatedALB++
		}
	}
	for _, r := range p.Custom("aws:ec2/natGateway:NatGateway") {
		if p.InSharedTier(r) {
			sharedNAT++
		} else {
			dedicatedNAT++
		}
	}
	for _, rg := range p.Custom("aws:elasticache/replicationGroup:ReplicationGroup") {
		if p.InSharedTier(rg) {
			out = append(out, fmt.Sprintf("shared cache: Redis %s, %s nodes of %s, failover %v, encrypted at rest %v / in transit %v",
				str(rg.Input("engineVersion")), str(rg.Input("numCacheClusters")), str(rg.Input("nodeType")),
				rg.Input("automaticFailoverEnabled"), rg.Input("atRestEncryptionEnabled"), rg.Input("transitEncryptionEnabled")))
		}
	}
	if sharedALB+sharedNAT > 0 {
		out = append(out, fmt.Sprintf("shared edge: %d ALB, %d NAT gateway", sharedALB, sharedNAT))
	}
	for _, lg := range p.Custom("aws:cloudwatch/logGroup:LogGroup") {
		if lg.Input("name") == "/aws/saas/audit" {
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
	n := 0
	for _, r := range p.Resources {
		if r.Type == TypeDedicatedTenant {
			n++
		}
	}
	if n > 0 {
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
		out = append(out, fmt.Sprintf("dedicated tenant stacks: %d (ALBs: %d, NAT gateways: %d); %s", n, dedicatedALB, dedicatedNAT, typeList(shapes)))
	}
	return out
}

func (p *Plan) sibling(r Resource, typ string) Resource {
	for _, s := range p.Resources {
		if s.Parent == r.Parent && s.Type == typ {
			return s
		}
	}
	return Resource{}
}
