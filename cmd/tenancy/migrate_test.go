package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testdb"
	"github.com/tenancy-dev/tenancy/internal/testproject"
)

func mustExec(t *testing.T, dsn string, sqls ...string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, q := range sqls {
		_, err := conn.Exec(ctx, q)
		require.NoError(t, err, q)
	}
}

// checksums reads a record and holds each table's checksum equal on both
// sides, with the counts given; it returns the checksums by table.
func checksums(t *testing.T, path string, rows map[string]int64) map[string]string {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var rec struct {
		Passed bool `json:"passed"`
		Tables []struct {
			Name                           string
			SourceRows, TargetRows         int64
			SourceChecksum, TargetChecksum string
		} `json:"tables"`
	}
	require.NoError(t, json.Unmarshal(b, &rec))
	require.True(t, rec.Passed, path)
	out := map[string]string{}
	got := map[string]int64{}
	for _, tc := range rec.Tables {
		assert.Equal(t, tc.SourceRows, tc.TargetRows, tc.Name)
		assert.Equal(t, tc.SourceChecksum, tc.TargetChecksum, tc.Name)
		assert.NotEqual(t, "0", tc.SourceChecksum, tc.Name)
		out[tc.Name], got[tc.Name] = tc.SourceChecksum, tc.TargetRows
	}
	assert.Equal(t, rows, got, path)
	return out
}

func count(t *testing.T, dsn, q string) int {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, q).Scan(&n))
	return n
}

// TestMigratingATenantThroughTheCLI runs the README's "Migrating a tenant"
// commands in order, on real PostgreSQL and Redis.
func TestMigratingATenantThroughTheCLI(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ded, shared := pg.CreateDB(t, "delta"), pg.CreateDB(t, "shared")
	redisFrom, redisTo := testdb.StartRedis(t), testdb.StartRedis(t)
	dir := testproject.CopyRepo(t)
	testproject.Edit(t, dir, "tenants/prod.yaml", "    placement: dedicated\n    compliance: [hipaa, dedicated-required]",
		"    placement: shared\n    compliance: [hipaa]\n    migration: {from: dedicated} # wave 3")
	rec := filepath.Join(dir, "tenants", "records", "delta-telecom.migration.json")

	// 1. The shared database: schema and isolation, idempotently; lint passes.
	code, out, errOut := runCLI("db", "bootstrap", "--dsn", shared)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "(shared): 1 migrations applied, 0 already applied")
	assert.Contains(t, out, "row-level security forced on users")
	code, out, _ = runCLI("db", "bootstrap", "--dsn", shared)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "0 migrations applied, 1 already applied\n  nothing to change")
	code, out, _ = runCLI("db", "lint", "--dsn", shared)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "4 tenant tables, each with row-level security forced and a policy that fails closed; tenancy_app cannot bypass it")

	// The tenant's own database and cache, with data.
	code, _, errOut = runCLI("db", "bootstrap", "--dedicated", "--dsn", ded)
	require.Equal(t, 0, code, errOut)
	mustExec(t, ded, `INSERT INTO users SELECT i, 'u' || i || '@delta.example', 'U', now() FROM generate_series(1, 300) i`,
		`INSERT INTO products SELECT i, 'S' || i, 'P', i FROM generate_series(1, 50) i`,
		`INSERT INTO orders SELECT i, 1 + i % 300, now(), i FROM generate_series(1, 900) i`,
		`INSERT INTO payments SELECT i, i, i, 'paid' FROM generate_series(1, 900) i`)
	opts, _ := redis.ParseURL(redisFrom)
	rc := redis.NewClient(opts)
	defer rc.Close()
	for i := range 20 {
		require.NoError(t, rc.Set(context.Background(), fmt.Sprintf("k%d", i), i, time.Duration(i)*time.Hour).Err())
	}

	// 2. Migrate: copied, verified, recorded.
	move := []string{"--from", ded, "--to", shared, "--redis-from", redisFrom, "--redis-to", redisTo}
	code, out, errOut = runCLI(append([]string{"migrate", "tenant", "delta-telecom", "--batch-rows", "250", "--record", rec}, move...)...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "tenancy migrate tenant delta-telecom: payments: 900/900 rows; all tables 2150/2150 rows,")
	assert.Contains(t, errOut, "MB/s, ETA")
	assert.Contains(t, out, "migration of delta-telecom verified; record: "+rec)
	assert.Contains(t, out, "cache            20 keys  19 of 19 TTLs kept  ok")
	assert.Equal(t, 2150, count(t, shared, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM products) + (SELECT count(*) FROM orders) + (SELECT count(*) FROM payments)"))
	assert.NotContains(t, out+errOut, testdb.Password, "no password in any output")
	migrated := checksums(t, rec, map[string]int64{"users": 300, "products": 50, "orders": 900, "payments": 900})
	code, _, errOut = runCLI(append([]string{"migrate", "tenant", "delta-telecom", "--record", rec}, move...)...)
	assert.Equal(t, 5, code)
	assert.Contains(t, errOut, "holds 300 rows of delta-telecom in users (fix: pass --resume")

	// 3. Verify again, and mark the registry from the record.
	code, out, errOut = runCLI(append([]string{"migrate", "verify", "delta-telecom", "--record", rec}, move...)...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "verification of delta-telecom verified")
	assert.Equal(t, migrated, checksums(t, rec, map[string]int64{"users": 300, "products": 50, "orders": 900, "payments": 900}), "the same data, checked again")
	code, out, errOut = runCLI("migrate", "mark-verified", "delta-telecom", "--record", rec, "--stack", "prod", "--dir", dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "tenants/prod.yaml: delta-telecom marked verified (record tenants/records/delta-telecom.migration.json")
	reg, err := os.ReadFile(filepath.Join(dir, "tenants", "prod.yaml"))
	require.NoError(t, err)
	assert.Contains(t, string(reg), "    migration: {from: dedicated, dataVerified: true, record: tenants/records/delta-telecom.migration.json} # wave 3\n")
	code, _, errOut = runCLI("preview", "--stack", "prod", "--dir", dir)
	assert.Equal(t, 0, code, errOut)
	// A record that did not pass: the preview refuses the registry.
	b, err := os.ReadFile(rec)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(rec, []byte(strings.Replace(string(b), `"passed": true`, `"passed": false`, 1)), 0o644))
	code, _, errOut = runCLI("preview", "--stack", "prod", "--dir", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "tenants/records/delta-telecom.migration.json records a verification that failed")
	code, _, errOut = runCLI("migrate", "mark-verified", "delta-telecom", "--record", rec, "--stack", "prod", "--dir", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "records a verification that failed")

	// 4. Roll back: home again, then gone from the shared tier.
	mustExec(t, shared, "INSERT INTO users VALUES ('delta-telecom', 301, 'late@delta.example', 'Late', now())")
	code, out, errOut = runCLI(append([]string{"migrate", "rollback", "delta-telecom", "--record", filepath.Join(dir, "rollback.json")}, move...)...)
	require.Equal(t, 0, code, errOut)
	back := checksums(t, filepath.Join(dir, "rollback.json"), map[string]int64{"users": 301, "products": 50, "orders": 900, "payments": 900})
	assert.Equal(t, migrated["orders"], back["orders"], "orders came back as they went")
	assert.NotEqual(t, migrated["users"], back["users"], "users came back with the row written since cutover")
	assert.Contains(t, out, "rollback of delta-telecom verified")
	assert.Contains(t, out, "2151 rows, 20 cache keys; 0 remain")
	assert.Equal(t, 301, count(t, ded, "SELECT count(*) FROM users"), "the row written since cutover came home")
	assert.Zero(t, count(t, shared, "SELECT count(*) FROM users WHERE tenant_id = 'delta-telecom'"))

	// 5. Erase (GDPR): refused without --confirm, then done and proved.
	// The record goes to the test's folder: the default, tenants/records/ in
	// the working directory, is the source tree here.
	code, _, errOut = runCLI("migrate", "tenant", "delta-telecom", "--from", ded, "--to", shared, "--record", filepath.Join(dir, "again.json"))
	require.Equal(t, 0, code, errOut)
	code, _, errOut = runCLI("tenant", "erase", "delta-telecom", "--dsn", shared)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "erasing delta-telecom cannot be undone: repeat its id with --confirm delta-telecom")
	code, _, _ = runCLI("tenant", "erase", "delta-telecom", "--dsn", shared, "--confirm", "delta-telecum")
	assert.Equal(t, 2, code)
	code, out, errOut = runCLI("tenant", "erase", "delta-telecom", "--dsn", shared, "--redis", redisTo, "--confirm", "delta-telecom")
	require.Equal(t, 0, code, errOut)
	var er struct {
		Deleted   map[string]int64 `json:"rowsDeleted"`
		Remaining int64            `json:"rowsRemaining"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &er))
	assert.Equal(t, map[string]int64{"users": 301, "products": 50, "orders": 900, "payments": 900}, er.Deleted)
	assert.Zero(t, er.Remaining)

	// Lint fails on a table whose row-level security is no longer forced.
	mustExec(t, shared, "ALTER TABLE orders NO FORCE ROW LEVEL SECURITY")
	code, out, _ = runCLI("db", "lint", "--dsn", shared)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "table orders: row-level security is not forced, so its owner bypasses it")
}

func TestMigrateRefusesBadInput(t *testing.T) {
	pg := testdb.StartPostgres(t)
	shared := pg.CreateDB(t, "shared")
	wrong := strings.Replace(shared, testdb.Password, "nope", 1)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"migrate", "tenant"}, 2, "needs the tenant's id, e.g. tenancy migrate tenant acme"},
		{[]string{"migrate", "tenant", "Acme Co"}, 2, `"Acme Co" is not a tenant id`},
		{[]string{"migrate", "tenant", "acme", "--to", shared}, 2, "--from is required: the dedicated database's URL"},
		{[]string{"migrate", "tenant", "acme", "--from", wrong, "--to", shared}, 5, "the dedicated database at postgres://postgres@127.0.0.1:" + fmt.Sprint(pg.Port) + "/shared refused the password"},
		{[]string{"migrate", "tenant", "acme", "--from", shared, "--to", shared, "--redis-from", "redis://x"}, 2, "give --redis-from and --redis-to together"},
		{[]string{"migrate", "tenant", "acme", "--from", shared, "--to", shared, "--redis-from", "redis://127.0.0.1:1", "--redis-to", "redis://127.0.0.1:1"}, 5,
			"the dedicated cache at redis://127.0.0.1:1 cannot be reached"},
		{[]string{"db", "lint"}, 2, "--dsn is required"},
		{[]string{"migrate", "mark-verified", "acme", "--stack", "prod", "--dir", "../.."}, 2, "--record is required"},
		{[]string{"migrate", "plan", "--stack", "prod", "--dir", "../..", "--parallel", "0"}, 2, "--parallel must be at least 1"},
	} {
		code, _, errOut := runCLI(tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.want, tc.args)
		assert.NotContains(t, errOut, "nope", "no password in a message")
	}
}

func TestMigratePlanFollowsTheArticlesOrder(t *testing.T) {
	code, out, errOut := runCLI("migrate", "plan", "--stack", "prod", "--dir", "../..", "--topology", "multi-instance", "--format", "json", "--parallel", "10")
	require.Equal(t, 0, code, errOut)
	var p struct {
		Waves []struct {
			Tier    string     `json:"tier"`
			Tenants int        `json:"tenants"`
			Batches [][]string `json:"batches"`
			DataGB  float64    `json:"dataGb"`
		} `json:"waves"`
		Stay []string `json:"stayDedicated"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &p))
	require.Len(t, p.Waves, 3)
	assert.Equal(t, []string{"free", "pro", "enterprise"}, []string{p.Waves[0].Tier, p.Waves[1].Tier, p.Waves[2].Tier})
	assert.Equal(t, 100, p.Waves[0].Tenants)
	assert.Len(t, p.Waves[0].Batches, 10, "100 tenants, 10 side by side")
	assert.Len(t, p.Stay, 10, "the tenants whose compliance requires dedicated placement never move")
	assert.Contains(t, p.Stay, "delta-telecom (compliance: dedicated-required)")
	total := 0
	for _, w := range p.Waves {
		total += w.Tenants
	}
	assert.Equal(t, 190, total)
}

// A cache that cannot take the keys leaves the rows copied: the command says
// so, writes their record as not passed, and exits 5.
func TestACacheFailureAfterTheRowsIsReported(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ded, shared := pg.CreateDB(t, "acme"), pg.CreateDB(t, "shared")
	redisFrom, redisTo := testdb.StartRedis(t), testdb.StartRedis(t)
	for _, args := range [][]string{{"db", "bootstrap", "--dsn", shared}, {"db", "bootstrap", "--dedicated", "--dsn", ded}} {
		code, _, errOut := runCLI(args...)
		require.Equal(t, 0, code, errOut)
	}
	mustExec(t, ded, `INSERT INTO users SELECT i, 'u' || i || '@acme.example', 'U', now() FROM generate_series(1, 10) i`)
	opts, _ := redis.ParseURL(redisTo)
	rc := redis.NewClient(opts)
	defer rc.Close()
	require.NoError(t, rc.Set(context.Background(), "tenant:{acme}:left-over", "x", 0).Err())
	rec := filepath.Join(t.TempDir(), "acme.json")
	code, _, errOut := runCLI("migrate", "tenant", "acme", "--from", ded, "--to", shared, "--redis-from", redisFrom, "--redis-to", redisTo, "--record", rec)
	assert.Equal(t, 5, code)
	assert.Contains(t, errOut, "the rows are copied and checked (record "+rec+", not passed) but the cache is not: "+
		"the shared cache already holds the tenant's keys: 1 keys under tenant:{acme}:*")
	b, err := os.ReadFile(rec)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"passed": false`)
	assert.Equal(t, 10, count(t, shared, "SELECT count(*) FROM users WHERE tenant_id = 'acme'"))
}
