// Package tenantdata moves a tenant's data between its dedicated database
// and cache and the shared ones, and sets up the isolation the shared
// database depends on: the tenant tables declared once (schema/), row-level
// security that fails closed, an application role that cannot bypass it, a
// copy from one consistent snapshot with PostgreSQL's COPY protocol that
// resumes after an interruption, a verification both sides agree on,
// rollback and erasure.
package tenantdata

import (
	"embed"
	"fmt"
	"regexp"
	"sort"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed schema
var schemaFS embed.FS

// Table is one tenant-scoped table.
type Table struct {
	Name string `yaml:"name"`
	Key  string `yaml:"key"` // the single-column key copies are ordered and resumed by
}

// Manifest is schema/manifest.yaml: the tenant tables in copy order and the
// statement timeout of each tier.
type Manifest struct {
	Tables            []Table           `yaml:"tables"`
	StatementTimeouts map[string]string `yaml:"statementTimeouts"`
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// TenantID is a registry slug: the only values a tenant context takes.
var TenantID = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadManifest reads the embedded manifest and checks it.
func LoadManifest() (*Manifest, error) {
	b, err := schemaFS.ReadFile("schema/manifest.yaml")
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("schema/manifest.yaml: %w", err)
	}
	if len(m.Tables) == 0 {
		return nil, fmt.Errorf("schema/manifest.yaml: no tables")
	}
	for _, t := range m.Tables {
		if !identifier.MatchString(t.Name) || !identifier.MatchString(t.Key) {
			return nil, fmt.Errorf("schema/manifest.yaml: table %q key %q: names are lower-case SQL identifiers", t.Name, t.Key)
		}
	}
	for tier, d := range m.StatementTimeouts {
		if _, err := time.ParseDuration(d); err != nil {
			return nil, fmt.Errorf("schema/manifest.yaml: statementTimeouts.%s: %v", tier, err)
		}
	}
	return &m, nil
}

// Tiers lists the tiers with a statement timeout, sorted.
func (m *Manifest) Tiers() []string {
	out := make([]string, 0, len(m.StatementTimeouts))
	for t := range m.StatementTimeouts {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Names lists the tenant tables in copy order.
func (m *Manifest) Names() []string {
	out := make([]string, len(m.Tables))
	for i, t := range m.Tables {
		out[i] = t.Name
	}
	return out
}
