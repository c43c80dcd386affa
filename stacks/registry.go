package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// Tier is a tenant's commercial tier; it sets limits, alarm thresholds and the default workload.
type Tier string

// The article's three tiers.
const (
	Free       Tier = "free"
	Pro        Tier = "pro"
	Enterprise Tier = "enterprise"
)

// Tiers lists the tiers from smallest to largest.
var Tiers = []Tier{Free, Pro, Enterprise}

// Placement is where the registry puts a tenant in the hybrid topology.
type Placement string

// Placements.
const (
	Shared    Placement = "shared"
	Dedicated Placement = "dedicated"
)

// Compliance needs a tenant may declare.
const (
	HIPAA             = "hipaa"
	PCI               = "pci"
	SOC2              = "soc2"
	GDPR              = "gdpr"
	DedicatedRequired = "dedicated-required"
)

var complianceNeeds = []string{HIPAA, PCI, SOC2, GDPR, DedicatedRequired}

// MaxTenantIDLength keeps every AWS name built from a tenant id within AWS's
// limits: the tightest is an ALB or target group name (32 characters), built
// as "<id>-alb" plus Pulumi's 8-character auto-name suffix.
const MaxTenantIDLength = 20

// Tenant is one entry of the registry.
type Tenant struct {
	ID         string    `yaml:"id"`         // DNS-safe slug, unique: 3-20 of a-z, 0-9 and single hyphens
	Name       string    `yaml:"name"`       // display name
	Tier       Tier      `yaml:"tier"`       // free | pro | enterprise
	Placement  Placement `yaml:"placement"`  // shared | dedicated
	Compliance []string  `yaml:"compliance"` // hipaa, pci, soc2, gdpr, dedicated-required
	// OwnStack moves a dedicated tenant out of the main stack into a stack of
	// its own (config tenancy:tenant: <id>).
	OwnStack bool `yaml:"ownStack"`
	// Migration records a move off a dedicated stack: the program keeps the
	// tenant's dedicated stack (and its data) until DataVerified.
	Migration *Migration `yaml:"migration"`
	// Decommission ends a dedicated tenant on purpose: its stack is kept but
	// unprotected and still serving, final snapshots on, key and logs retained;
	// removing the entry afterwards removes the stack. Without it, an active
	// dedicated stack in prod is protected whole and a removed entry deletes
	// nothing.
	Decommission bool   `yaml:"decommission"`
	Sizing       Sizing `yaml:"sizing"` // dedicated-stack sizing overrides
	Usage        Usage  `yaml:"usage"`  // workload overrides for the cost model

	Line int `yaml:"-"` // where the entry starts in the registry
	// Workload is the tenant's monthly workload: its tier's profile with the
	// registry's overrides applied.
	Workload Workload `yaml:"-"`
}

// Migration is a tenant's move from its dedicated stack to the shared tier.
type Migration struct {
	From string `yaml:"from"` // "dedicated"
	// DataVerified says the tenant's data was verified on the shared tier; only
	// then does the program let its dedicated stack go.
	DataVerified bool `yaml:"dataVerified"`
	// Record is the verification record `tenancy migrate` wrote (a path in
	// the project): dataVerified: true is refused without one that passed
	// for this tenant. `tenancy migrate mark-verified` sets both.
	Record string `yaml:"record"`
}

// MigrationPhase is where a tenant is in its move to the shared tier.
type MigrationPhase string

// Migration phases.
const (
	// Migrating: served from the shared tier; the dedicated stack is kept
	// whole and protected, without its DNS record.
	Migrating MigrationPhase = "migrating"
	// Verified: the dedicated stack is kept but unprotected, final snapshots
	// on, its key and logs retained; remove the migration entry to remove it.
	Verified MigrationPhase = "verified"
)

// Phase is the tenant's migration phase, or "".
func (t Tenant) Phase() MigrationPhase {
	switch {
	case t.Decommission:
		return Verified // kept, unprotected, retained: the last step before removal
	case t.Migration == nil:
		return ""
	case t.Migration.DataVerified:
		return Verified
	default:
		return Migrating
	}
}

// Sizing overrides a dedicated tenant's stack; zero values take the article's
// defaults (DefaultDedicatedSizing).
type Sizing struct {
	AppInstanceType string `yaml:"appInstanceType"`
	DBInstanceClass string `yaml:"dbInstanceClass"`
	DBStorageGB     int    `yaml:"dbStorageGb"`
	CacheNodeType   string `yaml:"cacheNodeType"`
}

// DefaultDedicatedSizing is the article's per-customer stack. A zero
// DBStorageGB sizes storage from the tenant's workload (DedicatedDBStorageGB).
var DefaultDedicatedSizing = Sizing{AppInstanceType: "t3.medium", DBInstanceClass: "db.t3.small", CacheNodeType: "cache.t3.micro"}

// DedicatedDBStorageGB is the storage a dedicated database is given: the
// registry's sizing when set, else the tenant's data with 25% headroom,
// rounded up to 10 GB, at least RDS's 20 GB minimum.
func (t Tenant) DedicatedDBStorageGB() int {
	if t.Sizing.DBStorageGB > 0 {
		return t.Sizing.DBStorageGB
	}
	gb := int(math.Ceil(t.Workload.DBStorageGB*1.25/10)) * 10
	return max(gb, 20)
}

// Usage overrides a tenant's monthly workload in the registry; a nil field
// takes the tier's default from the usage profiles (tenants/usage.yaml). The
// fields match Workload's.
type Usage struct {
	RequestsMillions *float64 `yaml:"requestsMillions"`
	DataOutGB        *float64 `yaml:"dataOutGb"`
	DataInGB         *float64 `yaml:"dataInGb"`
	NATInternetGB    *float64 `yaml:"natInternetGb"`
	NATS3GB          *float64 `yaml:"natS3Gb"`
	DBStorageGB      *float64 `yaml:"dbStorageGb"`
	DBIOMillions     *float64 `yaml:"dbIoMillions"`
	CacheMemoryGB    *float64 `yaml:"cacheMemoryGb"`
	AuditLogGB       *float64 `yaml:"auditLogGb"`
	AppLogGB         *float64 `yaml:"appLogGb"`
	CustomMetrics    *float64 `yaml:"customMetrics"`

	PeakRPS            *float64 `yaml:"peakRps"`
	CPUMsPerRequest    *float64 `yaml:"cpuMsPerRequest"`
	MemoryMBPerRequest *float64 `yaml:"memoryMbPerRequest"`
	DBMsPerRequest     *float64 `yaml:"dbMsPerRequest"`
	CacheConnections   *float64 `yaml:"cacheConnections"`
}

// Resolved returns the sizing with defaults filled in.
func (s Sizing) Resolved() Sizing {
	d := DefaultDedicatedSizing
	if s.AppInstanceType != "" {
		d.AppInstanceType = s.AppInstanceType
	}
	if s.DBInstanceClass != "" {
		d.DBInstanceClass = s.DBInstanceClass
	}
	if s.DBStorageGB != 0 {
		d.DBStorageGB = s.DBStorageGB
	}
	if s.CacheNodeType != "" {
		d.CacheNodeType = s.CacheNodeType
	}
	return d
}

// NeedsDedicated reports whether a compliance need rules out the shared tier.
func (t Tenant) NeedsDedicated() bool {
	for _, c := range t.Compliance {
		if c == DedicatedRequired {
			return true
		}
	}
	return false
}

func (t Tenant) dedicatedReason() string { return "compliance: " + DedicatedRequired }

// registryFile is the document shape.
type registryFile struct {
	Tenants []Tenant `yaml:"tenants"`
}

// readRegistry reads and checks the registry; it returns every problem found.
func readRegistry(dir, file string) ([]Tenant, []Problem) {
	var ps problems
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ps.add(file, 0, "tenancy:tenantRegistry", "create the file with a `tenants:` list, or point tenancy:tenantRegistry at the right one", "the tenant registry file does not exist")
		} else {
			ps.add(file, 0, "tenancy:tenantRegistry", "make the file readable", "cannot read the tenant registry: %v", err)
		}
		return nil, ps.list
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		ps.add(file, 0, "yaml", "fix the YAML syntax", "%v", err)
		return nil, ps.list
	}
	if len(doc.Content) == 0 {
		ps.add(file, 0, "tenants", "add a `tenants:` list with at least one tenant", "the registry is empty")
		return nil, ps.list
	}
	root := doc.Content[0]
	checkNode(root, reflect.TypeOf(registryFile{}), file, "", &ps)
	if len(ps.list) > 0 {
		return nil, ps.list
	}
	var reg registryFile
	if err := root.Decode(&reg); err != nil {
		ps.add(file, 0, "tenants", "fix the value types", "%v", err)
		return nil, ps.list
	}
	var seq *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "tenants" {
			seq = root.Content[i+1]
		}
	}
	for i := range reg.Tenants {
		if seq != nil && i < len(seq.Content) {
			reg.Tenants[i].Line = seq.Content[i].Line
		}
	}
	if len(reg.Tenants) == 0 {
		ps.add(file, root.Line, "tenants", "add at least one tenant", "the registry lists no tenants")
	}
	checkTenants(file, reg.Tenants, &ps)
	checkRecords(dir, file, reg.Tenants, &ps)
	return reg.Tenants, ps.list
}

// checkNode checks a YAML node against a Go type: unknown fields (typos) and
// kinds (a list where a number belongs), with lines, reporting all of them.
func checkNode(n *yaml.Node, t reflect.Type, file, path string, ps *problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	field := path
	if field == "" {
		field = "(top level)"
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			ps.add(file, n.Line, field, "write it as a map of `key: value` lines", "expected a map")
			return
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = f
			names = append(names, tag)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			f, ok := fields[k.Value]
			if !ok {
				fix := "allowed fields: " + strings.Join(names, ", ")
				if c := closest(k.Value, names); c != "" {
					fix = fmt.Sprintf("did you mean %q?", c)
				}
				ps.add(file, k.Line, p, fix, "unknown field %q", k.Value)
				continue
			}
			if seen[k.Value] {
				ps.add(file, k.Line, p, "keep one of the two", "field %q is given twice", k.Value)
			}
			seen[k.Value] = true
			checkNode(v, f.Type, file, p, ps)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			ps.add(file, n.Line, field, "write a list, e.g. [a, b] or one `- item` a line", "expected a list")
			return
		}
		for i, item := range n.Content {
			checkNode(item, t.Elem(), file, fmt.Sprintf("%s[%d]", path, i), ps)
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			ps.add(file, n.Line, field, "write a whole number", "%q is not an integer", n.Value)
		}
	case reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
			ps.add(file, n.Line, field, "write a number", "%q is not a number", n.Value)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			ps.add(file, n.Line, field, "write true or false", "%q is not a boolean", n.Value)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
			ps.add(file, n.Line, field, "write a single value", "expected a string")
		}
	}
}

// checkTenants applies the registry's rules to decoded tenants.
func checkTenants(file string, tenants []Tenant, ps *problems) {
	firstSeen := map[string]int{}
	tiers := []string{string(Free), string(Pro), string(Enterprise)}
	for i, t := range tenants {
		at := fmt.Sprintf("tenants[%d]", i)
		if t.ID != "" {
			at = fmt.Sprintf("tenants[%d] (%s)", i, t.ID)
		}
		switch {
		case t.ID == "":
			ps.add(file, t.Line, at+".id", "add `id: <slug>`, e.g. id: acme-health", "the tenant has no id")
		case len(t.ID) < 3 || len(t.ID) > MaxTenantIDLength || !slugRE.MatchString(t.ID):
			ps.add(file, t.Line, at+".id", fmt.Sprintf("use 3 to %d characters of a-z, 0-9 and single hyphens, starting with a letter, e.g. %q", MaxTenantIDLength, slugify(t.ID)),
				"%q is not a DNS-safe tenant id (it names AWS resources, log streams and the host <id>.<domain>)", t.ID)
		default:
			if prev, dup := firstSeen[t.ID]; dup {
				ps.add(file, t.Line, at+".id", fmt.Sprintf("ids are unique: rename this one or remove the entry (first at line %d)", prev), "duplicate tenant id %q", t.ID)
			} else {
				firstSeen[t.ID] = t.Line
			}
		}
		if strings.TrimSpace(t.Name) == "" {
			ps.add(file, t.Line, at+".name", "add `name: <display name>`", "the tenant has no display name")
		}
		if !containsStr(tiers, string(t.Tier)) {
			ps.add(file, t.Line, at+".tier", oneOfFix(string(t.Tier), tiers), "unknown tier %q", t.Tier)
		}
		if t.Placement != Shared && t.Placement != Dedicated {
			ps.add(file, t.Line, at+".placement", oneOfFix(string(t.Placement), []string{string(Shared), string(Dedicated)}), "unknown placement %q", t.Placement)
		}
		for j, c := range t.Compliance {
			if !containsStr(complianceNeeds, c) {
				ps.add(file, t.Line, fmt.Sprintf("%s.compliance[%d]", at, j), oneOfFix(c, complianceNeeds), "unknown compliance need %q", c)
			}
		}
		if t.NeedsDedicated() && t.Placement == Shared {
			ps.add(file, t.Line, at+".placement", "set placement: dedicated, or remove dedicated-required from compliance", "the tenant needs dedicated placement (compliance: dedicated-required) but is placed shared")
		}
		if m := t.Migration; m != nil {
			if m.From != string(Dedicated) {
				ps.add(file, t.Line, at+".migration.from", "write from: dedicated (the only move that keeps a stack behind)", "unknown migration source %q", m.From)
			}
			if t.Placement != Shared {
				ps.add(file, t.Line, at+".migration", "set placement: shared, or remove the migration entry", "a migration from a dedicated stack ends on the shared tier")
			}
		}
		if t.Decommission && (t.Placement != Dedicated || t.Migration != nil) {
			ps.add(file, t.Line, at+".decommission", "decommission a dedicated tenant without a migration entry; a tenant moving to the shared tier uses migration.dataVerified instead",
				"only a dedicated tenant that is not migrating can be decommissioned")
		}
		if t.OwnStack && t.Placement != Dedicated {
			ps.add(file, t.Line, at+".ownStack", "set placement: dedicated, or remove ownStack", "only a dedicated tenant can have a stack of its own")
		}
		if s := t.Sizing.AppInstanceType; s != "" {
			if msg, fix := checkShape(shapeEC2, s); msg != "" {
				ps.add(file, t.Line, at+".sizing.appInstanceType", fix, "%s", msg)
			}
		}
		if s := t.Sizing.DBInstanceClass; s != "" {
			if msg, fix := checkShape(shapeRDSPostgres, s); msg != "" {
				ps.add(file, t.Line, at+".sizing.dbInstanceClass", fix, "%s", msg)
			}
		}
		if s := t.Sizing.CacheNodeType; s != "" {
			if msg, fix := checkShape(shapeElastiCache, s); msg != "" {
				ps.add(file, t.Line, at+".sizing.cacheNodeType", fix, "%s", msg)
			}
		}
		if g := t.Sizing.DBStorageGB; g != 0 && (g < 20 || g > 65536) {
			ps.add(file, t.Line, at+".sizing.dbStorageGb", "RDS for PostgreSQL gp3 takes 20 to 65536 GB", "%d GB is out of range", g)
		}
		uv := reflect.ValueOf(t.Usage)
		for k := 0; k < uv.NumField(); k++ {
			if f := uv.Field(k); !f.IsNil() && f.Elem().Float() < 0 {
				tag, _, _ := strings.Cut(uv.Type().Field(k).Tag.Get("yaml"), ",")
				ps.add(file, t.Line, at+".usage."+tag, "use zero or more", "usage cannot be negative (%v)", f.Elem().Float())
			}
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// slugify suggests a valid id for a bad one.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > MaxTenantIDLength {
		out = strings.Trim(out[:MaxTenantIDLength], "-")
	}
	if out == "" || out[0] < 'a' {
		out = "t-" + out
	}
	for len(out) < 3 {
		out += "0"
	}
	return out
}
