package stacks_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
	"github.com/tenancy-dev/tenancy/stacks"
)

const moving = "    placement: shared\n    compliance: [hipaa]\n    migration: {from: dedicated}"

func migratingRepo(t *testing.T) string {
	dir := testproject.CopyRepo(t)
	testproject.Edit(t, dir, "tenants/prod.yaml", "    placement: dedicated\n    compliance: [hipaa, dedicated-required]", moving)
	return dir
}

// dataVerified: true is what the tool proved, not what someone typed.
func TestDataVerifiedNeedsAPassingRecordOfTheTenant(t *testing.T) {
	write := func(dir, name, body string) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "tenants", "records"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "tenants", "records", name), []byte(body), 0o644))
	}
	for _, tc := range []struct {
		name, migration, record, want string
	}{
		{"typed", "{from: dedicated, dataVerified: true}", "", "tenants/prod.yaml:15: tenants[0] (delta-telecom).migration.record: dataVerified: true has no verification record " +
			"(fix: run `tenancy migrate verify delta-telecom ...` then `tenancy migrate mark-verified delta-telecom --record FILE`, which sets dataVerified and record together)"},
		{"missing file", "{from: dedicated, dataVerified: true, record: tenants/records/none.json}", "", "the verification record tenants/records/none.json cannot be read"},
		{"another tenant", "{from: dedicated, dataVerified: true, record: tenants/records/r.json}", `{"tenant": "blue-retail", "kind": "migration", "passed": true}`,
			`tenants/records/r.json is the record of tenant "blue-retail", not delta-telecom`},
		{"failed", "{from: dedicated, dataVerified: true, record: tenants/records/r.json}", `{"tenant": "delta-telecom", "kind": "verification", "passed": false}`,
			"tenants/records/r.json records a verification that failed (fix: the data does not match: fix it and verify again"},
		{"rollback", "{from: dedicated, dataVerified: true, record: tenants/records/r.json}", `{"tenant": "delta-telecom", "kind": "rollback", "passed": true}`,
			"tenants/records/r.json is a rollback record, not a migration's or a verification's"},
		{"not json", "{from: dedicated, dataVerified: true, record: tenants/records/r.json}", `passed: true`, "tenants/records/r.json is not a verification record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := migratingRepo(t)
			testproject.Edit(t, dir, "tenants/prod.yaml", "migration: {from: dedicated}", "migration: "+tc.migration)
			if tc.record != "" {
				write(dir, "r.json", tc.record)
			}
			_, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	dir := migratingRepo(t)
	rec := testproject.VerifiedRecord(t, dir, "delta-telecom")
	testproject.Edit(t, dir, "tenants/prod.yaml", "migration: {from: dedicated}", "migration: {from: dedicated, dataVerified: true, record: "+rec+"}")
	_, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
	assert.NoError(t, err, "a passing record of the tenant")
}

// MarkVerified edits the entry's text only: every other line, comments
// included, stays byte for byte.
func TestMarkVerifiedKeepsTheRegistrysLayout(t *testing.T) {
	for _, tc := range []struct {
		name, entry, want string
	}{
		{"flow", "    migration: {from: dedicated}  # moving since Monday",
			"    migration: {from: dedicated, dataVerified: true, record: tenants/records/delta-telecom.migration.json}  # moving since Monday"},
		{"flow, already false", "    migration: {from: dedicated, dataVerified: false}",
			"    migration: {from: dedicated, dataVerified: true, record: tenants/records/delta-telecom.migration.json}"},
		{"block", "    migration:\n      from: dedicated # the old stack\n    sizing: {}",
			"    migration:\n      from: dedicated # the old stack\n      dataVerified: true\n      record: tenants/records/delta-telecom.migration.json\n    sizing: {}"},
		{"block, already false", "    migration:\n      from: dedicated\n      dataVerified: false # not yet",
			"    migration:\n      from: dedicated\n      dataVerified: true # not yet\n      record: tenants/records/delta-telecom.migration.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testproject.CopyRepo(t)
			testproject.Edit(t, dir, "tenants/prod.yaml", "    placement: dedicated\n    compliance: [hipaa, dedicated-required]",
				"    placement: shared\n    compliance: [hipaa]\n"+tc.entry)
			before, err := os.ReadFile(filepath.Join(dir, "tenants", "prod.yaml"))
			require.NoError(t, err)
			rec := testproject.VerifiedRecord(t, dir, "delta-telecom")
			require.NoError(t, stacks.MarkVerified(dir, "tenants/prod.yaml", "delta-telecom", rec))
			after, err := os.ReadFile(filepath.Join(dir, "tenants", "prod.yaml"))
			require.NoError(t, err)
			assert.Equal(t, strings.Replace(string(before), tc.entry, tc.want, 1), string(after))
			cfg, err := stacks.Load(dir, "prod", stacks.LoadOptions{})
			require.NoError(t, err)
			assert.Equal(t, stacks.Verified, cfg.Tenants[0].Phase())
		})
	}
	dir := testproject.CopyRepo(t)
	err := stacks.MarkVerified(dir, "tenants/prod.yaml", "delta-telecom", "r.json")
	assert.EqualError(t, err, "tenants/prod.yaml: tenant delta-telecom has no migration entry: only a migrating tenant (migration: {from: dedicated}) can be marked verified")
	assert.EqualError(t, stacks.MarkVerified(dir, "tenants/prod.yaml", "nobody", "r.json"), `tenants/prod.yaml: no tenant "nobody"`)
}
