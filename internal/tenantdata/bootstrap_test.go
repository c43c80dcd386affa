package tenantdata

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testdb"
)

func connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// conns names two test connections by their URLs, as the CLI does.
func conns(dedDSN string, ded *pgx.Conn, sharedDSN string, shared *pgx.Conn) Conns {
	return Conns{Dedicated: ded, Shared: shared, DedicatedName: Redact(dedDSN), SharedName: Redact(sharedDSN)}
}

func manifest(t *testing.T) *Manifest {
	m, err := LoadManifest()
	require.NoError(t, err)
	return m
}

// sharedDB is a bootstrapped shared database.
func sharedDB(t *testing.T, pg *testdb.Postgres, name string) (string, *pgx.Conn) {
	dsn := pg.CreateDB(t, name)
	conn := connect(t, dsn)
	_, err := Bootstrap(context.Background(), conn, Shared, manifest(t))
	require.NoError(t, err)
	return dsn, conn
}

func TestBootstrapThenLintPassOnAFreshDatabase(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	conn := connect(t, pg.CreateDB(t, "shared"))
	m := manifest(t)
	res, err := Bootstrap(ctx, conn, Shared, m)
	require.NoError(t, err)
	assert.Equal(t, []string{"001_tenant_tables.sql"}, res.Applied)
	assert.Contains(t, res.Isolation, "row-level security forced on payments")
	assert.Contains(t, res.Isolation, "policy tenant_isolation on users")
	findings, err := Lint(ctx, conn, m)
	require.NoError(t, err)
	assert.Empty(t, findings)

	// Again: nothing changes.
	res, err = Bootstrap(ctx, conn, Shared, m)
	require.NoError(t, err)
	assert.Empty(t, res.Applied)
	assert.Equal(t, []string{"001_tenant_tables.sql"}, res.Already)
	assert.Empty(t, res.Isolation)

	// An applied migration edited since is refused.
	_, err = conn.Exec(ctx, `UPDATE tenancy_schema_migrations SET checksum = 'abcdef0123456789' WHERE version = '001_tenant_tables.sql'`)
	require.NoError(t, err)
	_, err = Bootstrap(ctx, conn, Shared, m)
	assert.ErrorContains(t, err, "migration 001_tenant_tables.sql was applied with checksum abcdef012345, but the file now has")
}

// A policy without WITH CHECK is checked with its USING: the closed
// expression alone is enough.
func TestLintAcceptsAClosedPolicyWithoutWithCheck(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	_, conn := sharedDB(t, pg, "shared")
	_, err := conn.Exec(ctx, "DROP POLICY tenant_isolation ON users")
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "CREATE POLICY tenant_isolation ON users USING (tenant_id = current_setting('app.current_tenant', true))")
	require.NoError(t, err)
	findings, err := Lint(ctx, conn, manifest(t))
	require.NoError(t, err)
	assert.Empty(t, findings)
}

// A record with no table checked proves nothing: it does not pass.
func TestARecordOfNoTablesDoesNotPass(t *testing.T) {
	r := &Record{Tenant: "acme", Kind: "migration"}
	r.finish()
	assert.False(t, r.Passed)
	r.Tables = []TableCheck{{Name: "users", Match: true}}
	r.finish()
	assert.True(t, r.Passed)
	r.ForeignKeys = []ForeignKeyCheck{{Constraint: "fk", Table: "orders", Orphans: 1}}
	r.finish()
	assert.False(t, r.Passed)
}

func TestLintFailsOnEachGap(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	m := manifest(t)
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"not forced", "ALTER TABLE orders NO FORCE ROW LEVEL SECURITY", "table orders: row-level security is not forced, so its owner bypasses it"},
		{"off", "ALTER TABLE products DISABLE ROW LEVEL SECURITY", "table products: row-level security is off"},
		{"no policy", "DROP POLICY tenant_isolation ON users", "table users: has no policy for all commands"},
		{"fails open", "DROP POLICY tenant_isolation ON users; CREATE POLICY open ON users USING (current_setting('app.current_tenant', true) IS NULL OR tenant_id = current_setting('app.current_tenant', true))",
			"permissive policy open (ALL, USING"},
		{"writes open", "DROP POLICY tenant_isolation ON users; CREATE POLICY w ON users USING (tenant_id = current_setting('app.current_tenant', true)) WITH CHECK (true)",
			"table users: has no policy for all commands with USING and WITH CHECK"},
		{"widened", "CREATE POLICY everyone_reads ON payments FOR SELECT USING (true)", "table payments: permissive policy everyone_reads (SELECT, USING true) widens the tenant policy: it does not fail closed"},
		{"unlisted table", "CREATE TABLE invoices (tenant_id text NOT NULL, id bigint)", "table invoices: has tenant_id but is not in the manifest"},
		{"bypass", "ALTER ROLE tenancy_app BYPASSRLS", "database: tenancy_app has BYPASSRLS"},
		{"owner", "ALTER TABLE orders OWNER TO tenancy_app", "table orders: is owned by the application role tenancy_app"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, conn := sharedDB(t, pg, strings.ReplaceAll(tc.name, " ", "_"))
			_, err := conn.Exec(ctx, tc.sql)
			require.NoError(t, err)
			findings, err := Lint(ctx, conn, m)
			require.NoError(t, err)
			var lines []string
			for _, f := range findings {
				lines = append(lines, f.String())
			}
			assert.Contains(t, strings.Join(lines, "\n"), tc.want)
			_, err = conn.Exec(ctx, "ALTER ROLE tenancy_app NOBYPASSRLS") // roles are cluster-wide
			require.NoError(t, err)
		})
	}
}
