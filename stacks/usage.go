package stacks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"

	"github.com/tenancy-dev/tenancy/cost"
	"gopkg.in/yaml.v3"
)

// Workload is one tenant's monthly workload. The cost model maps it onto the
// resources each topology builds; the program sizes dedicated storage from it.
type Workload struct {
	RequestsMillions float64 `yaml:"requestsMillions"`
	DataOutGB        float64 `yaml:"dataOutGb"`
	DataInGB         float64 `yaml:"dataInGb"`
	NATInternetGB    float64 `yaml:"natInternetGb"`
	NATS3GB          float64 `yaml:"natS3Gb"`
	DBStorageGB      float64 `yaml:"dbStorageGb"`
	DBIOMillions     float64 `yaml:"dbIoMillions"`
	CacheMemoryGB    float64 `yaml:"cacheMemoryGb"`
	AuditLogGB       float64 `yaml:"auditLogGb"`
	AppLogGB         float64 `yaml:"appLogGb"`
	CustomMetrics    float64 `yaml:"customMetrics"`

	// The peak, for the capacity model (stacks/capacity.go).
	PeakRPS            float64 `yaml:"peakRps"`            // requests a second at the busiest hour
	CPUMsPerRequest    float64 `yaml:"cpuMsPerRequest"`    // application CPU a request takes
	MemoryMBPerRequest float64 `yaml:"memoryMbPerRequest"` // application memory a request holds while in flight
	DBMsPerRequest     float64 `yaml:"dbMsPerRequest"`     // time a request holds a database connection (its queries)
	CacheConnections   float64 `yaml:"cacheConnections"`   // Redis connections at the peak
}

// quantityOf selects each cost driver's quantity: a typed field selector,
// so a driver is a field the compiler checks, not a name matched at run time.
var quantityOf = map[cost.Driver]func(Workload) float64{
	cost.Requests:      func(w Workload) float64 { return w.RequestsMillions },
	cost.DataOut:       func(w Workload) float64 { return w.DataOutGB },
	cost.NATInternet:   func(w Workload) float64 { return w.NATInternetGB },
	cost.DBStorage:     func(w Workload) float64 { return w.DBStorageGB },
	cost.DBIO:          func(w Workload) float64 { return w.DBIOMillions },
	cost.CacheMemory:   func(w Workload) float64 { return w.CacheMemoryGB },
	cost.AuditLogs:     func(w Workload) float64 { return w.AuditLogGB },
	cost.AppLogs:       func(w Workload) float64 { return w.AppLogGB },
	cost.CustomMetrics: func(w Workload) float64 { return w.CustomMetrics },
}

// Quantity is the workload quantity a cost driver follows, and whether the
// driver selects one.
func (w Workload) Quantity(d cost.Driver) (float64, bool) {
	f, ok := quantityOf[d]
	if !ok {
		return 0, false
	}
	return f(w), true
}

// PlatformUsage is the platform's own traffic per piece of infrastructure.
type PlatformUsage struct {
	AppInstanceNATGB              float64 `yaml:"appInstanceNatGb"`
	AppInstanceLogGB              float64 `yaml:"appInstanceLogGb"`
	FlowLogBaselineGBPerVPC       float64 `yaml:"flowLogBaselineGbPerVpc"`
	FlowLogRecordsPerConnection   float64 `yaml:"flowLogRecordsPerConnection"`
	FlowLogBytesPerRecord         float64 `yaml:"flowLogBytesPerRecord"`
	DBLogGBPerInstance            float64 `yaml:"dbLogGbPerInstance"`
	DBLogGBPerMillionRequests     float64 `yaml:"dbLogGbPerMillionRequests"`
	DBTrafficKBPerRequest         float64 `yaml:"dbTrafficKbPerRequest"`
	CacheTrafficKBPerRequest      float64 `yaml:"cacheTrafficKbPerRequest"`
	MetricPublishSeconds          float64 `yaml:"metricPublishSeconds"`
	MetricsPerPutRequest          float64 `yaml:"metricsPerPutRequest"`
	DBMonitoringLogGBPerInstance  float64 `yaml:"dbMonitoringLogGbPerInstance"`
	LogStorageCompression         float64 `yaml:"logStorageCompression"`
	AccessLogGBPerMillionRequests float64 `yaml:"accessLogGbPerMillionRequests"`
	KMSRequestsPerKey             float64 `yaml:"kmsRequestsPerKey"`
	NewConnectionsPerRequest      float64 `yaml:"newConnectionsPerRequest"`
	BackupDailyChangeRate         float64 `yaml:"backupDailyChangeRate"`
	CloudTrailEventsMillions      float64 `yaml:"cloudTrailEventsMillions"`
	SecurityHubChecks             float64 `yaml:"securityHubChecks"`
	DBWriteIOShare                float64 `yaml:"dbWriteIoShare"`
	ConfigItemsPerResource        float64 `yaml:"configItemsPerResource"`
	CloudTrailEventKB             float64 `yaml:"cloudTrailEventKb"`
	WAFBlockedShare               float64 `yaml:"wafBlockedShare"`
	WAFLogKBPerRequest            float64 `yaml:"wafLogKbPerRequest"`
	RequestSeconds                float64 `yaml:"requestSeconds"`
	AppBaseMemoryGB               float64 `yaml:"appBaseMemoryGb"`
	CacheReservedMemoryPercent    float64 `yaml:"cacheReservedMemoryPercent"`
	NATCallsPerRequest            float64 `yaml:"natCallsPerRequest"`
	NATDestinationShare           float64 `yaml:"natDestinationShare"`
	NATConnectionSeconds          float64 `yaml:"natConnectionSeconds"`
}

// UsageProfiles is the workload defaults file.
type UsageProfiles struct {
	Tiers    map[Tier]Workload `yaml:"tiers"`
	Platform PlatformUsage     `yaml:"platform"`
}

type usageFile struct {
	Tiers struct {
		Free       *Workload `yaml:"free"`
		Pro        *Workload `yaml:"pro"`
		Enterprise *Workload `yaml:"enterprise"`
	} `yaml:"tiers"`
	Platform *PlatformUsage `yaml:"platform"`
}

// readUsageProfiles reads and checks the usage profiles: every tier and every
// field present (a missing one would silently price as zero), none negative.
func readUsageProfiles(dir, file string) (*UsageProfiles, []Problem) {
	var ps problems
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ps.add(file, 0, "tenancy:usageProfiles", "restore tenants/usage.yaml from the repository, or point tenancy:usageProfiles at the right file", "the usage profiles file does not exist")
		} else {
			ps.add(file, 0, "tenancy:usageProfiles", "make the file readable", "cannot read the usage profiles: %v", err)
		}
		return nil, ps.list
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil || len(doc.Content) == 0 {
		ps.add(file, 0, "yaml", "fix the YAML syntax", "not a YAML document: %v", err)
		return nil, ps.list
	}
	root := doc.Content[0]
	checkNode(root, reflect.TypeOf(usageFile{}), file, "", &ps)
	if len(ps.list) > 0 {
		return nil, ps.list
	}
	var uf usageFile
	if err := root.Decode(&uf); err != nil {
		ps.add(file, 0, "usage", "fix the value types", "%v", err)
		return nil, ps.list
	}
	out := &UsageProfiles{Tiers: map[Tier]Workload{}}
	for tier, w := range map[Tier]*Workload{Free: uf.Tiers.Free, Pro: uf.Tiers.Pro, Enterprise: uf.Tiers.Enterprise} {
		if w == nil {
			ps.add(file, root.Line, "tiers."+string(tier), "add the tier's profile with every field", "tier %s has no usage profile", tier)
			continue
		}
		out.Tiers[tier] = *w
	}
	if uf.Platform == nil {
		ps.add(file, root.Line, "platform", "add the platform section", "the platform usage is missing")
	} else {
		out.Platform = *uf.Platform
	}
	// Every field must be written out: a forgotten one would price as zero.
	requireAll(root, file, &ps)
	return out, ps.list
}

// requireAll reports fields of the tier and platform maps that are absent.
func requireAll(root *yaml.Node, file string, ps *problems) {
	section := func(n *yaml.Node, key string) *yaml.Node {
		for i := 0; n != nil && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		return nil
	}
	check := func(n *yaml.Node, t reflect.Type, path string) {
		if n == nil {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			tag := t.Field(i).Tag.Get("yaml")
			if v := section(n, tag); v == nil {
				ps.add(file, n.Line, path+"."+tag, fmt.Sprintf("add `%s: <number>`", tag), "the field is missing, and would price as zero")
			} else if v.Value != "" && v.Value[0] == '-' {
				ps.add(file, v.Line, path+"."+tag, "use zero or more", "usage cannot be negative")
			}
		}
	}
	tiers := section(root, "tiers")
	for _, tier := range Tiers {
		check(section(tiers, string(tier)), reflect.TypeOf(Workload{}), "tiers."+string(tier))
	}
	check(section(root, "platform"), reflect.TypeOf(PlatformUsage{}), "platform")
}

// resolveWorkloads gives every tenant its tier's profile with its overrides.
func resolveWorkloads(tenants []Tenant, profiles *UsageProfiles) {
	for i := range tenants {
		w := profiles.Tiers[tenants[i].Tier]
		wv := reflect.ValueOf(&w).Elem()
		uv := reflect.ValueOf(tenants[i].Usage)
		for k := 0; k < uv.NumField(); k++ {
			if f := uv.Field(k); !f.IsNil() {
				wv.FieldByName(uv.Type().Field(k).Name).SetFloat(f.Elem().Float())
			}
		}
		tenants[i].Workload = w
	}
}

// checkTierLimits holds each tenant's peak to the article's limits for its
// tier: a peak over the API rate is throttled at the edge, and connections
// over the tier's limit are refused by the pooler, so a profile that
// exceeds them describes a workload the platform would not serve.
func checkTierLimits(c *Config, ps *problems) {
	type limit struct {
		field string
		got   func(Workload) float64
		max   func(TenantLimits) float64
		what  string
	}
	limits := []limit{
		{"peakRps", func(w Workload) float64 { return w.PeakRPS }, func(l TenantLimits) float64 { return float64(l.APIRatePerMinute) / 60 }, "requests a second (the tier's API rate limit)"},
		{"dbMsPerRequest", func(w Workload) float64 { return w.PeakRPS * w.DBMsPerRequest / 1000 }, func(l TenantLimits) float64 { return float64(l.MaxDBConnections) }, "busy database connections at the peak, peakRps × dbMsPerRequest (the tier's connection limit)"},
	}
	seen := map[string]bool{}
	for _, t := range c.Tenants {
		for _, l := range limits {
			got, most := l.got(t.Workload), l.max(TierLimits[t.Tier])
			if got <= most {
				continue
			}
			if v := reflect.ValueOf(t.Usage).FieldByNameFunc(func(n string) bool { return yamlTag(reflect.TypeOf(t.Usage), n) == l.field }); v.IsValid() && !v.IsNil() {
				ps.add(c.RegistryFile, t.Line, fmt.Sprintf("tenants[%s].usage.%s", t.ID, l.field), fmt.Sprintf("use %s or less, or move the tenant to a larger tier", FormatQuantity(most)),
					"%s is over the %s tier's %s %s", FormatQuantity(got), t.Tier, FormatQuantity(most), l.what)
			} else if key := string(t.Tier) + "." + l.field; !seen[key] {
				seen[key] = true
				ps.add(c.UsageFile, 0, "tiers."+key, fmt.Sprintf("lower it to %s or less", FormatQuantity(most)), "%s is over the %s tier's %s %s", FormatQuantity(got), t.Tier, FormatQuantity(most), l.what)
			}
		}
	}
}

// yamlTag is the yaml name of a struct field.
func yamlTag(t reflect.Type, field string) string {
	f, _ := t.FieldByName(field)
	return f.Tag.Get("yaml")
}
