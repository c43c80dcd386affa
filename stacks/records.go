package stacks

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// verificationRecord is the part of a `tenancy migrate` record the registry
// check reads (internal/tenantdata writes the whole record).
type verificationRecord struct {
	Tenant string `json:"tenant"`
	Kind   string `json:"kind"`
	Passed bool   `json:"passed"`
}

// markVerifiedFix is how dataVerified and its record are set together.
func markVerifiedFix(id string) string {
	return fmt.Sprintf("run `tenancy migrate verify %s ...` then `tenancy migrate mark-verified %s --record FILE`, which sets dataVerified and record together", id, id)
}

// checkRecords holds each dataVerified: true to the record it names: a
// file in the project, written by tenancy migrate for this tenant, that
// passed. Without one, "verified" is only what someone typed, and the
// program would let the tenant's dedicated stack and data go.
func checkRecords(dir, file string, tenants []Tenant, ps *problems) {
	for i, t := range tenants {
		m := t.Migration
		if m == nil || !m.DataVerified {
			continue
		}
		at := fmt.Sprintf("tenants[%d] (%s).migration", i, t.ID)
		if m.Record == "" {
			ps.add(file, t.Line, at+".record", markVerifiedFix(t.ID), "dataVerified: true has no verification record")
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, m.Record))
		if err != nil {
			ps.add(file, t.Line, at+".record", markVerifiedFix(t.ID), "the verification record %s cannot be read: %v", m.Record, err)
			continue
		}
		var r verificationRecord
		switch err := json.Unmarshal(b, &r); {
		case err != nil:
			ps.add(file, t.Line, at+".record", markVerifiedFix(t.ID), "%s is not a verification record: %v", m.Record, err)
		case r.Tenant != t.ID:
			ps.add(file, t.Line, at+".record", markVerifiedFix(t.ID), "%s is the record of tenant %q, not %s", m.Record, r.Tenant, t.ID)
		case r.Kind != "migration" && r.Kind != "verification":
			ps.add(file, t.Line, at+".record", markVerifiedFix(t.ID), "%s is a %s record, not a migration's or a verification's", m.Record, r.Kind)
		case !r.Passed:
			ps.add(file, t.Line, at+".record", "the data does not match: fix it and verify again ("+markVerifiedFix(t.ID)+")", "%s records a verification that failed", m.Record)
		}
	}
}
