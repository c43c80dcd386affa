package stacks

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Namespace is the project's config namespace, as in `tenancy:topology`.
const Namespace = "tenancy"

// namespaces other than ours that a stack file may carry. Anything else is
// most likely a misspelt "tenancy" and is reported.
var foreignNamespaces = []string{"aws", "pulumi", "random"}

// rawValue is one config value as found, before typing.
type rawValue struct {
	Text   string // the scalar's text (Pulumi keeps every config value as a string)
	Scalar bool   // false for a YAML list or map
	Line   int    // 0 when it came from the engine
}

// LoadOptions change what Load builds, for what-if runs of the CLI.
type LoadOptions struct {
	// Topology, when set, overrides the stack's tenancy:topology.
	Topology Topology
	// Tenants, when set, replaces the registry with this many synthetic
	// tenants in its tier and placement mix; Add adds synthetic shared
	// tenants per tier. Both size the stack automatically.
	Tenants int
	Add     map[Tier]int
	// Sizing, when set, overrides tenancy:sizing.
	Sizing string
	// Pricing prices the always-on baseline at a commitment term
	// (PricingModes); "" is on-demand.
	Pricing string
	// KeepOverCapacity loads a stack whose peak exceeds its capacity, with
	// the problems in Config.OverCapacity instead of an error: for
	// `tenancy capacity`, which reports them.
	KeepOverCapacity bool
}

// whatIf reports whether the options ask for a stack the config does not
// describe.
func (o LoadOptions) whatIf() bool { return o.Topology != "" || o.Tenants > 0 || len(o.Add) > 0 }

// Load reads Pulumi.yaml, Pulumi.<stack>.yaml and the tenant registry from dir,
// and returns the validated config, or a *ValidationError naming every problem.
func Load(dir, stack string, opts LoadOptions) (*Config, error) {
	project, err := readProjectName(dir)
	if err != nil {
		return nil, err
	}
	stackFile := "Pulumi." + stack + ".yaml"
	raw, ps := readStackFile(dir, stackFile)
	if ps != nil {
		return nil, ps
	}
	return build(dir, project, stack, stackFile, raw, opts)
}

// LoadFromEngine builds the config from what the Pulumi engine passed the
// program (PULUMI_CONFIG: every key of the stack, with Pulumi.yaml defaults
// applied) and reads the registry from the project folder.
func LoadFromEngine(dir, project, stack string, engineConfig map[string]string) (*Config, error) {
	stackFile := "Pulumi." + stack + ".yaml"
	// The engine hands over Pulumi.yaml's defaults with the stack's own
	// values. A default the stack file does not set is no setting of the
	// stack's: drop it, so that rules about keys a stack sets (a DR copy
	// schedule without the snapshot-copy strategy) see what the file path
	// sees. Where the file is at hand, its lines name the values too.
	inFile, _ := readStackFile(dir, stackFile)
	defaults := map[string]string{}
	for _, k := range configKeys {
		if k.Default != nil {
			defaults[Namespace+":"+k.Name] = fmt.Sprint(k.Default)
		}
	}
	raw := make(map[string]rawValue, len(engineConfig))
	for k, v := range engineConfig {
		fileValue, set := inFile[k]
		if d, ok := defaults[k]; ok && d == v && !set {
			continue
		}
		raw[k] = rawValue{Text: v, Scalar: !strings.HasPrefix(v, "[") && !strings.HasPrefix(v, "{"), Line: fileValue.Line}
	}
	return build(dir, project, stack, stackFile, raw, LoadOptions{})
}

// EngineConfig decodes the PULUMI_CONFIG the engine hands a Go program.
func EngineConfig() (map[string]string, error) {
	s := os.Getenv("PULUMI_CONFIG")
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("PULUMI_CONFIG is not a JSON object of strings: %w", err)
	}
	return out, nil
}

func readProjectName(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		return "", fmt.Errorf("Pulumi.yaml: cannot read the project file in %s: %w (fix: run from the project folder or pass --dir)", dir, err)
	}
	var p struct {
		Name string `yaml:"name"`
	}
	if err := yaml.Unmarshal(b, &p); err != nil || p.Name == "" {
		return "", fmt.Errorf("Pulumi.yaml: no project name (fix: add `name: tenancy`)")
	}
	return p.Name, nil
}

// readStackFile returns the stack file's config values keyed by their full
// name ("tenancy:topology"), with line numbers.
func readStackFile(dir, stackFile string) (map[string]rawValue, error) {
	var ps problems
	b, err := os.ReadFile(filepath.Join(dir, stackFile))
	if err != nil {
		fix := "create it with `pulumi stack init` and `pulumi config set`, or pick a stack that has one"
		if errors.Is(err, fs.ErrNotExist) {
			ps.add(stackFile, 0, "stack", fix, "the stack file does not exist in %s", dir)
		} else {
			ps.add(stackFile, 0, "stack", fix, "cannot read the stack file: %v", err)
		}
		return nil, ps.err()
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		ps.add(stackFile, 0, "yaml", "fix the YAML syntax", "%v", err)
		return nil, ps.err()
	}
	raw := map[string]rawValue{}
	if len(doc.Content) == 0 {
		return raw, nil
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		ps.add(stackFile, top.Line, "(top level)", "write `config:` followed by the keys", "the stack file must be a YAML map")
		return nil, ps.err()
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		switch k.Value {
		case "config":
			if v.Kind != yaml.MappingNode {
				ps.add(stackFile, v.Line, "config", "write the keys under `config:` as `tenancy:key: value`", "config must be a map")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				ck, cv := v.Content[j], v.Content[j+1]
				rv := rawValue{Text: cv.Value, Scalar: cv.Kind == yaml.ScalarNode, Line: ck.Line}
				if cv.Kind == yaml.MappingNode && len(cv.Content) == 2 && cv.Content[0].Value == "secure" {
					ps.add(stackFile, ck.Line, ck.Value, "tenancy takes no secrets in config: database and cache credentials are generated and kept in Secrets Manager; remove the key", "a secret value is not expected here")
					continue
				}
				raw[ck.Value] = rv
			}
		case "environment", "secretsprovider", "encryptedkey", "encryptionsalt":
			// Pulumi's own stack settings.
		default:
			ps.add(stackFile, k.Line, k.Value, "put config keys under `config:`", "unknown top-level key")
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return raw, nil
}

// build types and validates raw config, then reads the registry.
func build(dir, project, stack, stackFile string, raw map[string]rawValue, opts LoadOptions) (*Config, error) {
	var ps problems
	c := &Config{Project: project, Stack: stack, Dir: dir, StackFile: stackFile, Pricing: "on-demand"}
	if opts.Pricing != "" {
		c.Pricing = opts.Pricing
	}
	checkKeyNames(stackFile, raw, &ps) // a typo is the likeliest mistake: first
	readRegion(c, stackFile, raw, &ps)
	readDeclaredKeys(c, stackFile, raw, opts, &ps)
	checkCrossFields(c, stackFile, raw, &ps)
	readDataFiles(c, dir, raw, opts, &ps)
	if len(ps.list) == 0 && c.Usage != nil {
		checkTierLimits(c, &ps)
	}
	if len(ps.list) == 0 && c.Usage != nil {
		if opts.Sizing != "" {
			c.SizingMode = opts.Sizing
		} else if opts.whatIf() && c.SizingMode != "auto" {
			c.SizingMode = "auto"
			c.Warnings = append(c.Warnings, "what-if: sized automatically from the tenants' peak (tenancy:sizing: auto), each configured size the floor")
		}
		var over problems
		sizeAndCheck(c, raw, &over)
		if opts.KeepOverCapacity {
			c.OverCapacity = over.list
		} else {
			ps.list = append(ps.list, over.list...)
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// checkKeyNames reports keys tenancy does not read: undeclared tenancy:
// keys (with the closest declared one) and unknown namespaces.
func checkKeyNames(stackFile string, raw map[string]rawValue, ps *problems) {
	declared := map[string]configKey{}
	names := make([]string, 0, len(configKeys))
	for _, k := range configKeys {
		declared[Namespace+":"+k.Name] = k
		names = append(names, Namespace+":"+k.Name)
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, full := range keys {
		rv := raw[full]
		ns, name, ok := strings.Cut(full, ":")
		if !ok {
			ps.add(stackFile, rv.Line, full, "write it as tenancy:"+full, "a config key needs a namespace")
			continue
		}
		if ns == Namespace {
			if _, ok := declared[full]; !ok {
				fix := "remove it, or declare it in Pulumi.yaml and stacks/config.go"
				if c := closest(full, names); c != "" {
					fix = fmt.Sprintf("did you mean %q?", c)
				}
				ps.add(stackFile, rv.Line, full, fix, "unknown config key")
			}
			continue
		}
		known := false
		for _, f := range foreignNamespaces {
			known = known || ns == f
		}
		if !known {
			fix := "tenancy reads only tenancy:, aws:, pulumi: and random: keys"
			if closest(ns, []string{Namespace}) != "" {
				fix = fmt.Sprintf("did you mean %q?", Namespace+":"+name)
			}
			ps.add(stackFile, rv.Line, full, fix, "unknown config namespace %q", ns)
		}
	}
}

// readRegion reads aws:region, which must be set and priced.
func readRegion(c *Config, stackFile string, raw map[string]rawValue, ps *problems) {
	if rv, ok := raw["aws:region"]; !ok {
		ps.add(stackFile, 0, "aws:region", "add `aws:region: us-east-1` (or another region) under config", "the AWS region is not set")
	} else if msg, fix := checkRegion(c, rv.Text); msg != "" {
		ps.add(stackFile, rv.Line, "aws:region", fix, "%s", msg)
	} else {
		c.Region = rv.Text
	}
}

// readDeclaredKeys reads each declared key: its type, its range, its
// default.
func readDeclaredKeys(c *Config, stackFile string, raw map[string]rawValue, opts LoadOptions, ps *problems) {
	for _, k := range configKeys {
		full := Namespace + ":" + k.Name
		rv, ok := raw[full]
		var v any
		if !ok {
			if k.Default == nil {
				ps.add(stackFile, 0, full, fmt.Sprintf("add `%s: <value>` under config (%s)", full, k.Description), "required key is not set")
				continue
			}
			v = k.Default
		} else {
			var msg, fix string
			v, msg, fix = typed(k, rv)
			if msg != "" {
				ps.add(stackFile, rv.Line, full, fix, "%s", msg)
				continue
			}
		}
		if full == Namespace+":topology" && opts.Topology != "" {
			v = string(opts.Topology)
		}
		if k.check != nil {
			if msg, fix := k.check(c, v); msg != "" {
				ps.add(stackFile, rv.Line, full, fix, "%s", msg)
				continue
			}
		}
		k.set(c, v)
	}
}

// checkCrossFields checks the rules that tie keys together, and the stack
// name.
func checkCrossFields(c *Config, stackFile string, raw map[string]rawValue, ps *problems) {
	line := func(key string) int { return raw[Namespace+":"+key].Line }
	if c.Shared.ASGMin > c.Shared.ASGMax && c.Shared.ASGMax > 0 {
		ps.add(stackFile, line("asgMin"), Namespace+":asgMin", fmt.Sprintf("lower tenancy:asgMin to %d or less, or raise tenancy:asgMax", c.Shared.ASGMax),
			"minimum %d is greater than maximum %d", c.Shared.ASGMin, c.Shared.ASGMax)
	} else if c.Shared.ASGDesired > 0 && (c.Shared.ASGDesired < c.Shared.ASGMin || c.Shared.ASGDesired > c.Shared.ASGMax) {
		ps.add(stackFile, line("asgDesired"), Namespace+":asgDesired", fmt.Sprintf("set a size from %d to %d", c.Shared.ASGMin, c.Shared.ASGMax),
			"desired %d is outside min %d and max %d", c.Shared.ASGDesired, c.Shared.ASGMin, c.Shared.ASGMax)
	}
	if c.Region != "" && c.BackupCopyRegion == c.Region {
		ps.add(stackFile, line("backupCopyRegion"), Namespace+":backupCopyRegion", "pick another region, e.g. us-west-2 for us-east-1",
			"the disaster-recovery copy must go to another region than %s", c.Region)
	}

	checkDR(c, stackFile, raw, ps)

	if len(c.Stack) > 30 || !slugRE.MatchString(c.Stack) {
		ps.add(stackFile, 0, "stack", "name stacks with up to 30 of a-z, 0-9 and single hyphens, e.g. prod or prod-eu",
			"stack name %q cannot name AWS resources (snapshots, alarms, key aliases carry it)", c.Stack)
	}
}

// readDataFiles reads the tenant registry and the usage profiles, once
// their paths are known, and checks what depends on the tenants.
func readDataFiles(c *Config, dir string, raw map[string]rawValue, opts LoadOptions, ps *problems) {
	if c.RegistryFile != "" {
		tenants, rps := readRegistry(dir, c.RegistryFile)
		ps.list = append(ps.list, rps...)
		c.Tenants = tenants
		if len(rps) == 0 {
			applyWhatIf(c, opts)
			checkPlacement(c, raw, ps)
			checkEdgeCapacity(c, raw, ps)
			checkBaseline(c, raw, ps)
		}
	}
	if c.UsageFile != "" {
		profiles, ups := readUsageProfiles(dir, c.UsageFile)
		ps.list = append(ps.list, ups...)
		if len(ups) == 0 {
			c.Usage = profiles
			resolveWorkloads(c.Tenants, profiles)
		}
	}
}

// typed turns a raw value into the key's declared type.
func typed(k configKey, rv rawValue) (v any, msg, fix string) {
	full := Namespace + ":" + k.Name
	if !rv.Scalar {
		return nil, fmt.Sprintf("expected a %s, got a list or map", k.Type), fmt.Sprintf("write `%s: <%s>`", full, k.Type)
	}
	switch k.Type {
	case "integer":
		n, err := strconv.Atoi(strings.TrimSpace(rv.Text))
		if err != nil {
			return nil, fmt.Sprintf("%q is not an integer", rv.Text), fmt.Sprintf("write a whole number, e.g. `%s: %v`", full, k.Default)
		}
		return n, "", ""
	case "boolean":
		b, err := strconv.ParseBool(strings.TrimSpace(rv.Text))
		if err != nil {
			return nil, fmt.Sprintf("%q is not a boolean", rv.Text), fmt.Sprintf("write `%s: true` or `%s: false`", full, full)
		}
		return b, "", ""
	default:
		return rv.Text, "", ""
	}
}

// checkPlacement holds the topology and the registry together.
func checkPlacement(c *Config, raw map[string]rawValue, ps *problems) {
	topoLine := raw[Namespace+":topology"].Line
	for _, t := range c.Tenants {
		if !t.NeedsDedicated() {
			continue
		}
		if c.Topology == MultiTenant {
			msg := fmt.Sprintf("tenant %s needs dedicated placement (%s) but topology multi-tenant puts every tenant on the shared tier", t.ID, t.dedicatedReason())
			if raw[Namespace+":topology"].Text == string(MultiTenant) {
				ps.add(c.StackFile, topoLine, Namespace+":topology", "use topology hybrid, or drop the requirement from the tenant", "%s", msg)
			} else {
				c.Warnings = append(c.Warnings, msg+" (what-if only: the stack config would refuse it)")
			}
		}
	}
	if c.SingleTenant != "" {
		var found *Tenant
		for i := range c.Tenants {
			if c.Tenants[i].ID == c.SingleTenant {
				found = &c.Tenants[i]
			}
		}
		line := raw[Namespace+":tenant"].Line
		switch {
		case found == nil:
			fix := "name a tenant id from " + c.RegistryFile
			ids := make([]string, len(c.Tenants))
			for i, t := range c.Tenants {
				ids[i] = t.ID
			}
			if s := closest(c.SingleTenant, ids); s != "" {
				fix = fmt.Sprintf("did you mean %q?", s)
			}
			ps.add(c.StackFile, line, Namespace+":tenant", fix, "tenant %q is not in %s", c.SingleTenant, c.RegistryFile)
		case found.Placement != Dedicated || !found.OwnStack:
			ps.add(c.StackFile, line, Namespace+":tenant", fmt.Sprintf("in %s set placement: dedicated and ownStack: true on %s, so the main stack stops building it", c.RegistryFile, found.ID),
				"tenant %s is not registered as a dedicated tenant with a stack of its own", found.ID)
		}
	}
}

// checkBaseline keeps the security services with the account baseline:
// a stack that leaves the baseline to another cannot also enable them.
func checkBaseline(c *Config, raw map[string]rawValue, ps *problems) {
	if c.SingleTenant != "" && c.AccountBaselineStack == "" {
		ps.add(c.StackFile, raw[Namespace+":tenant"].Line, Namespace+":accountBaselineStack",
			fmt.Sprintf("set tenancy:accountBaselineStack to the stack that owns this account's baseline (e.g. the main stack), or to %s if this stack has an account of its own", c.Stack),
			"a tenant's own stack must say who owns its account's baseline: a second trail and GuardDuty detector in the main stack's account would be refused or billed twice")
	}
	if c.SecurityServices && !c.BaselineHere() {
		ps.add(c.StackFile, raw[Namespace+":securityServices"].Line, Namespace+":securityServices",
			fmt.Sprintf("set tenancy:securityServices: false here and enable them in stack %s, or clear tenancy:accountBaselineStack", c.AccountBaselineStack),
			"the security services belong to the account baseline, which tenancy:accountBaselineStack says stack %s owns", c.AccountBaselineStack)
	}
}

// checkEdgeCapacity refuses a web ACL AWS would refuse: per-tenant host
// matches cost WCUs, and a web ACL holds at most 5,000.
func checkEdgeCapacity(c *Config, raw map[string]rawValue, ps *problems) {
	if !c.EdgeRateLimits {
		return
	}
	perTier := map[string]int{}
	for _, t := range c.SharedTenants() {
		perTier[string(t.Tier)]++
	}
	if wcu := EdgeRateLimitCapacity(perTier); wcu > MaxWebACLCapacity {
		ps.add(c.StackFile, raw[Namespace+":edgeRateLimits"].Line, Namespace+":edgeRateLimits",
			"set tenancy:edgeRateLimits: false and enforce the rates in the application from the SSM limits, or split the tenants across stacks",
			"%d shared tenants need %d WAF capacity units; AWS allows %d per web ACL", len(c.SharedTenants()), wcu, MaxWebACLCapacity)
	}
}
