package tenantdata

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testdb"
)

// TestAKilledCopyResumesWithExactCounts: a copy cut off mid-table leaves the
// batches it committed; a re-run without --resume is refused, with it ends
// with exact counts and a passing verification.
func TestAKilledCopyResumesWithExactCounts(t *testing.T) {
	pg := testdb.StartPostgres(t)
	m := manifest(t)
	dedDSN, ded := dedicatedDB(t, pg, "acme", 1000)
	sharedDSN, shared := sharedDB(t, pg, "shared")
	c := conns(dedDSN, ded, sharedDSN, shared)
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	_, err := Migrate(ctx, c, m, "acme", Options{BatchRows: 400, Progress: func(p Progress) {
		if batches++; p.Table == "orders" && p.TableRows >= 800 {
			cancel() // killed in the middle of orders
		}
	}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "copying orders into "+Redact(sharedDSN))
	assert.Contains(t, err.Error(), "the batches committed so far stay: re-run with --resume")
	cancel()
	// The connections died with the context: a new run opens new ones.
	ded, shared = connect(t, dedDSN), connect(t, sharedDSN)
	c.Dedicated, c.Shared = ded, shared
	got := rowCounts(t, shared, "WHERE tenant_id = 'acme'")
	assert.Equal(t, int64(1000), got["users"])
	assert.Equal(t, int64(2000), got["products"])
	assert.Equal(t, int64(800), got["orders"], "two batches of orders committed")
	assert.Zero(t, got["payments"])

	bg := context.Background()
	_, err = Migrate(bg, c, m, "acme", Options{BatchRows: 400})
	assert.ErrorIs(t, err, ErrTargetHoldsTenant)
	assert.ErrorContains(t, err, "holds 1000 rows of acme in users (fix: pass --resume to finish an interrupted copy")

	rec, err := Migrate(bg, c, m, "acme", Options{BatchRows: 400, Resume: true})
	require.NoError(t, err)
	require.True(t, rec.Passed, rec.Mismatches())
	assert.Equal(t, map[string]int64{"users": 1000, "products": 2000, "orders": 3000, "payments": 3000}, rowCounts(t, shared, "WHERE tenant_id = 'acme'"))
	assert.Equal(t, int64(9000), rec.Rows, "the resumed run counts what it found and what it copied")
}

// TestAMigrationRoleHeldToRLSCopiesThroughStaging: a role without BYPASSRLS
// cannot COPY into a table with row-level security; the copy goes through a
// temporary table, and each row passes the policy's check.
func TestAMigrationRoleHeldToRLSCopiesThroughStaging(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	m := manifest(t)
	dedDSN, ded := dedicatedDB(t, pg, "acme", 200)
	sharedDSN, owner := sharedDB(t, pg, "shared")
	_, err := owner.Exec(ctx, "CREATE ROLE migrator LOGIN PASSWORD 'm' NOSUPERUSER NOBYPASSRLS")
	require.NoError(t, err)
	_, err = owner.Exec(ctx, "GRANT SELECT, INSERT, UPDATE, DELETE ON users, products, orders, payments TO migrator")
	require.NoError(t, err)
	migratorDSN := fmt.Sprintf("postgres://migrator:m@127.0.0.1:%d/shared?sslmode=disable", pg.Port)
	shared := connect(t, migratorDSN)
	rec, err := Migrate(ctx, conns(dedDSN, ded, sharedDSN, shared), m, "acme", Options{})
	require.NoError(t, err)
	assert.True(t, rec.Passed, rec.Mismatches())
	assert.Equal(t, map[string]int64{"users": 200, "products": 400, "orders": 600, "payments": 600}, rowCounts(t, owner, "WHERE tenant_id = 'acme'"))
}

func TestBadSourcesAndTargetsAreNamed(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	m := manifest(t)
	dedDSN, ded := dedicatedDB(t, pg, "acme", 10)
	sharedDSN, shared := sharedDB(t, pg, "shared")
	c := conns(dedDSN, ded, sharedDSN, shared)
	_, err := ded.Exec(ctx, "DROP TABLE payments")
	require.NoError(t, err)
	_, err = Migrate(ctx, c, m, "acme", Options{})
	assert.EqualError(t, err, "postgres://postgres@127.0.0.1:"+fmt.Sprint(pg.Port)+"/acme has no table payments, which the manifest lists "+
		"(internal/tenantdata/schema/manifest.yaml): is this the tenant's database? (fix: bootstrap it, or point at the right database)")
	assert.Equal(t, map[string]int64{"users": 0, "products": 0, "orders": 0, "payments": 0}, rowCounts(t, shared, "WHERE tenant_id = 'acme'"), "nothing written")
	_, err = Migrate(ctx, c, m, "Acme!", Options{})
	assert.ErrorContains(t, err, `"Acme!" is not a tenant id`)

	_, err = Connect(ctx, "the shared database", fmt.Sprintf("postgres://postgres:wrong@127.0.0.1:%d/shared?sslmode=disable", pg.Port))
	assert.EqualError(t, err, fmt.Sprintf("the shared database at postgres://postgres@127.0.0.1:%d/shared refused the password for its user (fix: the password in the URL)", pg.Port))
	assert.NotContains(t, err.Error(), "wrong", "no password in a message")
	_, err = Connect(ctx, "the shared database", fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/nosuch?sslmode=disable", testdb.Password, pg.Port))
	assert.ErrorContains(t, err, `database "nosuch" does not exist (fix: the database name in the URL's path)`)
	_, err = Connect(ctx, "the dedicated database", "postgres://postgres:pw@127.0.0.1:1/acme?sslmode=disable&connect_timeout=2")
	assert.ErrorContains(t, err, "the dedicated database at postgres://postgres@127.0.0.1:1/acme cannot be reached")
	assert.ErrorContains(t, err, "(fix: the host and port, and that it is running)")
}

// TestAnOrphanedRowFailsTheVerification: a superuser's copy skips the
// per-row foreign-key triggers, so the record checks every foreign key of
// the tenant's rows: a source that lost a constraint and holds an order of
// no user fails the migration's verification.
func TestAnOrphanedRowFailsTheVerification(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	m := manifest(t)
	dedDSN, ded := dedicatedDB(t, pg, "acme", 10)
	sharedDSN, shared := sharedDB(t, pg, "shared")
	_, err := ded.Exec(ctx, "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey")
	require.NoError(t, err)
	_, err = ded.Exec(ctx, "INSERT INTO orders VALUES (999, 12345, now(), 1)")
	require.NoError(t, err)
	rec, err := Migrate(ctx, conns(dedDSN, ded, sharedDSN, shared), m, "acme", Options{})
	require.NoError(t, err)
	assert.False(t, rec.Passed)
	assert.Equal(t, []string{"table orders: 1 rows whose orders_tenant_id_user_id_fkey parent is missing"}, rec.Mismatches())
	var role string
	require.NoError(t, shared.QueryRow(ctx, "SHOW session_replication_role").Scan(&role))
	assert.Equal(t, "origin", role, "the triggers are back on after the copy")
}
