// Package testproject lays out tenancy project folders for tests and
// benchmarks: the repo's Pulumi.yaml and usage profiles, a stack file and a
// registry of the test's choosing.
package testproject

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Root is the repository's root folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Write creates a project with Pulumi.<stack>.yaml and tenants/t.yaml, and
// copies Pulumi.yaml and tenants/usage.yaml from the repository.
func Write(t testing.TB, stack, stackFile, registry string) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "tenants"), 0o755))
	for _, f := range []string{"Pulumi.yaml", filepath.Join("tenants", "usage.yaml")} {
		b, err := os.ReadFile(filepath.Join(Root(), f))
		must(err)
		must(os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	must(os.WriteFile(filepath.Join(dir, "Pulumi."+stack+".yaml"), []byte(stackFile), 0o644))
	must(os.WriteFile(filepath.Join(dir, "tenants", "t.yaml"), []byte(registry), 0o644))
	return dir
}

// BigStack is a prod-like stack file for the synthetic registry. WAF rate
// limits are off: thousands of shared hosts would need more capacity than a
// web ACL has, and the config refuses that.
const BigStack = `config:
  aws:region: us-east-1
  tenancy:environment: prod
  tenancy:tenantRegistry: tenants/t.yaml
  tenancy:domainName: app.example.com
  tenancy:hostedZoneId: ZBENCH
  tenancy:edgeRateLimits: false
`

// SyntheticRegistry makes n tenants: 5% enterprise dedicated, then 15%
// enterprise, 35% pro and 45% free on the shared tier.
func SyntheticRegistry(n int) string {
	var b strings.Builder
	b.WriteString("tenants:\n")
	for i := 0; i < n; i++ {
		tier, placement := "free", "shared"
		switch pct := i * 100 / n; {
		case pct < 5:
			tier, placement = "enterprise", "dedicated"
		case pct < 20:
			tier = "enterprise"
		case pct < 55:
			tier = "pro"
		}
		// 10 GB of data each: at the tiers' 30-200 GB, 4,750 shared tenants'
		// 357 TB would not fit one Aurora cluster's 128 TiB, and the capacity
		// model refuses the stack.
		fmt.Fprintf(&b, "  - {id: tenant-%05d, name: Tenant %d, tier: %s, placement: %s, usage: {dbStorageGb: 10}}\n", i, i, tier, placement)
	}
	return b.String()
}

// CopyRepo copies the repository's project files (Pulumi.yaml, the stack
// files and tenants/) into a temporary folder a test may edit.
func CopyRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tenants"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"Pulumi*.yaml", filepath.Join("tenants", "*.yaml")} {
		matches, err := filepath.Glob(filepath.Join(Root(), pattern))
		if err != nil || len(matches) == 0 {
			t.Fatalf("no %s in %s: %v", pattern, Root(), err)
		}
		for _, m := range matches {
			rel, _ := filepath.Rel(Root(), m)
			b, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// Edit replaces old with new in a project file once, failing when old is absent.
func Edit(t testing.TB, dir, file, old, new string) {
	t.Helper()
	path := filepath.Join(dir, file)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Golden compares got with testdata/<name>.golden, or writes it when update
// is set (each package's -update flag). Review every golden diff as code.
func Golden(t testing.TB, name, got string, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the package's tests with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("golden %s differs; review the change, then run with -update if it is right.\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// PlanBeforeLeastPrivilege is dev's `pulumi preview --json` as the program
// wrote it before the app roles were scoped (gzipped in the rules' testdata):
// the plan the security rules must fail, for the rules' and the pack's tests.
var PlanBeforeLeastPrivilege = filepath.Join("policies", "rules", "testdata", "dev-before-least-privilege.preview.json.gz")

// OpenGzip opens a gzipped fixture of the repository (a path from its root);
// the reader is closed with the test.
func OpenGzip(t testing.TB, path string) *gzip.Reader {
	t.Helper()
	f, err := os.Open(filepath.Join(Root(), path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return zr
}

// EngineTools is the folder scripts/engine-tools builds the Pulumi CLI and
// the stand-in providers into. A test that needs them skips without them,
// and fails instead when TENANCY_ENGINE_JOURNEYS=required (CI).
func EngineTools(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TENANCY_ENGINE_TOOLS")
	if dir == "" {
		dir = filepath.Join(Root(), ".engine-tools")
	}
	bin := filepath.Join(dir, "bin")
	for _, tool := range []string{"pulumi", "pulumi-resource-aws", "pulumi-resource-random"} {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			msg := "the engine journeys need " + filepath.Join(bin, tool) + ": run scripts/engine-tools (builds the Pulumi CLI and the stand-in providers, once)"
			if os.Getenv("TENANCY_ENGINE_JOURNEYS") == "required" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	return bin
}

// VerifiedRecord writes a passing migration record for tenant into the
// project at dir, as `tenancy migrate tenant` would, and returns its path in
// the project: what a registry's migration.record names.
func VerifiedRecord(t testing.TB, dir, tenant string) string {
	t.Helper()
	rel := "tenants/records/" + tenant + ".migration.json"
	if err := os.MkdirAll(filepath.Join(dir, "tenants", "records"), 0o755); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"tenant": %q, "kind": "migration", "passed": true, "tables": [{"name": "users", "sourceRows": 1, "targetRows": 1, "match": true}]}`, tenant)
	if err := os.WriteFile(filepath.Join(dir, rel), []byte(body+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return rel
}
