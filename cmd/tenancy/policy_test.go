package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

func TestPolicyCheckPassesTheRepoStacks(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		for _, topo := range []string{"multi-instance", "multi-tenant", "hybrid"} {
			code, out, errOut := runCLI("policy", "check", "--stack", stack, "--dir", "../..", "--topology", topo)
			require.Equal(t, 0, code, "%s/%s: %s%s", stack, topo, out, errOut)
			assert.Contains(t, out, "0 mandatory violations")
		}
	}
}

// TestPolicyCheckCatchesAnUnencryptedCluster: the done-when, on a
// preview JSON of prod with the Aurora cluster's storageEncrypted flipped.
func TestPolicyCheckCatchesAnUnencryptedCluster(t *testing.T) {
	code, out, errOut := runCLI("preview", "--stack", "prod", "--dir", "../..", "--json")
	require.Equal(t, 0, code, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	flipped := 0
	for _, s := range doc["steps"].([]any) {
		st := s.(map[string]any)["newState"].(map[string]any)
		if st["type"] == "aws:rds/cluster:Cluster" {
			st["inputs"].(map[string]any)["storageEncrypted"] = false
			flipped++
		}
	}
	require.Equal(t, 1, flipped)
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "prod.preview.json")
	require.NoError(t, os.WriteFile(path, b, 0o644))

	code, out, _ = runCLI("policy", "check", "--stack", "prod", "--dir", "../..", "--preview-json", path)
	assert.Equal(t, 1, code, "a mandatory violation exits non-zero")
	assert.Contains(t, out, "MANDATORY rds-cluster-encrypted (RDS.27)")
	assert.Contains(t, out, "storageEncrypted is false, not true")
	assert.Contains(t, out, "1 mandatory violations")

	code, out, errOut = runCLI("policy", "check", "--stack", "prod", "--dir", "../..", "--preview-json", path[:len(path)-5]+"-missing.json")
	assert.Equal(t, 5, code, "a missing file is a runtime failure")
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no such file")
}

// TestPolicyCheckAcceptsAVerifiedMigration: a kept stack whose tenant's data
// is verified may be unprotected in prod; the findings say why.
func TestPolicyCheckAcceptsAVerifiedMigration(t *testing.T) {
	dir := testproject.CopyRepo(t)
	rec := testproject.VerifiedRecord(t, dir, "delta-telecom")
	testproject.Edit(t, dir, "tenants/prod.yaml", "    placement: dedicated\n    compliance: [hipaa, dedicated-required]",
		"    placement: shared\n    compliance: [hipaa]\n    migration: {from: dedicated, dataVerified: true, record: "+rec+"}")
	code, out, errOut := runCLI("policy", "check", "--stack", "prod", "--dir", dir)
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "0 mandatory violations")
	assert.Contains(t, out, "accepted: the tenant's data is verified on the shared tier")
}
