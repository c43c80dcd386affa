package tenantdata

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// TableCheck is one table's verification: the row count and an
// order-independent checksum of the source columns on each side.
type TableCheck struct {
	Name           string `json:"name"`
	SourceRows     int64  `json:"sourceRows"`
	TargetRows     int64  `json:"targetRows"`
	SourceChecksum string `json:"sourceChecksum"`
	TargetChecksum string `json:"targetChecksum"`
	Match          bool   `json:"match"`
}

// CacheCheck is the cache's verification: keys on each side, a checksum of
// their names and values, and how many keys with a TTL kept one.
type CacheCheck struct {
	SourceKeys     int64  `json:"sourceKeys"`
	TargetKeys     int64  `json:"targetKeys"`
	SourceChecksum string `json:"sourceChecksum"`
	TargetChecksum string `json:"targetChecksum"`
	WithTTL        int64  `json:"keysWithTtl"`
	TTLKept        int64  `json:"ttlKept"`
	Match          bool   `json:"match"`
}

// Record is what a migration, a verification or a rollback proved: the file
// a registry entry's migration.record points at.
type Record struct {
	Tenant     string       `json:"tenant"`
	Kind       string       `json:"kind"` // migration, verification or rollback
	Source     string       `json:"source"`
	Target     string       `json:"target"`
	Snapshot   string       `json:"snapshot"` // the source snapshot every table was read and checked in
	StartedAt  time.Time    `json:"startedAt"`
	FinishedAt time.Time    `json:"finishedAt"`
	Rows       int64        `json:"rowsCopied"`
	Bytes      int64        `json:"bytesCopied"`
	Tables     []TableCheck `json:"tables"`
	// ForeignKeys are the shared side's foreign keys checked over the
	// tenant's rows (a migration or verification): none may be orphaned.
	ForeignKeys []ForeignKeyCheck `json:"foreignKeys,omitempty"`
	Cache       *CacheCheck       `json:"cache,omitempty"`
	Passed      bool              `json:"passed"`
}

// finish sets Passed: every table and the cache match.
func (r *Record) finish() {
	r.FinishedAt = time.Now().UTC()
	r.Passed = len(r.Tables) > 0
	for _, t := range r.Tables {
		r.Passed = r.Passed && t.Match
	}
	for _, f := range r.ForeignKeys {
		r.Passed = r.Passed && f.Orphans == 0
	}
	if r.Cache != nil {
		r.Passed = r.Passed && r.Cache.Match
	}
}

// Mismatches says which checks failed.
func (r *Record) Mismatches() []string {
	var out []string
	for _, t := range r.Tables {
		if !t.Match {
			out = append(out, fmt.Sprintf("table %s: %d rows (checksum %s) at the source, %d (checksum %s) at the target",
				t.Name, t.SourceRows, t.SourceChecksum, t.TargetRows, t.TargetChecksum))
		}
	}
	for _, f := range r.ForeignKeys {
		if f.Orphans > 0 {
			out = append(out, fmt.Sprintf("table %s: %d rows whose %s parent is missing", f.Table, f.Orphans, f.Constraint))
		}
	}
	if c := r.Cache; c != nil && !c.Match {
		out = append(out, fmt.Sprintf("cache: %d keys (checksum %s) at the source, %d (checksum %s) at the target, %d of %d TTLs kept",
			c.SourceKeys, c.SourceChecksum, c.TargetKeys, c.TargetChecksum, c.TTLKept, c.WithTTL))
	}
	return out
}

// Write writes the record as indented JSON, its folder made if need be.
func (r *Record) Write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// ReadRecord reads a record file.
func ReadRecord(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: not a verification record: %w", path, err)
	}
	if r.Tenant == "" || r.Kind == "" {
		return nil, fmt.Errorf("%s: not a verification record: no tenant or kind", path)
	}
	return &r, nil
}

// Redact names a database or cache by its URL without the password:
// postgres://user@host:port/db.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return "(a connection string that is not a URL)"
	}
	out := u.Scheme + "://"
	if u.User != nil {
		out += u.User.Username() + "@"
	}
	return out + u.Host + u.Path
}
