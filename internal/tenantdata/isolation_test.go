package tenantdata

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testdb"
)

// seedTwoTenants writes one user, product, order and payment for acme and
// for beta, as the owner with each tenant's context (row-level security is
// forced on the owner too).
func seedTwoTenants(t *testing.T, conn *pgx.Conn) {
	ctx := context.Background()
	for _, id := range []string{"acme", "beta"} {
		require.NoError(t, pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT tenancy_set_tenant($1, 'pro')", id); err != nil {
				return err
			}
			for _, q := range []string{`INSERT INTO users VALUES ($1, 1, $1 || '@example.com', 'U', now())`,
				`INSERT INTO products VALUES ($1, 1, 'SKU-1', 'P', 100)`, `INSERT INTO orders VALUES ($1, 1, 1, now(), 100)`,
				`INSERT INTO payments VALUES ($1, 1, 1, 100, 'paid')`} {
				if _, err := tx.Exec(ctx, q, id); err != nil {
					return err
				}
			}
			return nil
		}))
	}
}

// asApp runs f in a transaction as the application role, with the tenant
// context set when tenant is not "".
func asApp(t *testing.T, conn *pgx.Conn, tenant string, f func(tx pgx.Tx)) {
	ctx := context.Background()
	tx, err := conn.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, "SET LOCAL ROLE "+AppRole)
	require.NoError(t, err)
	if tenant != "" {
		_, err = tx.Exec(ctx, "SELECT tenancy_set_tenant($1, 'free')", tenant)
		require.NoError(t, err)
	}
	f(tx)
}

func TestIsolationIsProvedNotAssumed(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	_, conn := sharedDB(t, pg, "shared")
	seedTwoTenants(t, conn)
	count := func(tx pgx.Tx, q string, args ...any) int {
		var n int
		require.NoError(t, tx.QueryRow(ctx, q, args...).Scan(&n))
		return n
	}
	for _, table := range manifest(t).Names() {
		t.Run(table, func(t *testing.T) {
			asApp(t, conn, "acme", func(tx pgx.Tx) {
				assert.Equal(t, 1, count(tx, "SELECT count(*) FROM "+table), "acme sees its own row only")
				assert.Equal(t, 0, count(tx, "SELECT count(*) FROM "+table+" WHERE tenant_id = 'beta'"), "and none of beta's")
				tag, err := tx.Exec(ctx, "UPDATE "+table+" SET id = id WHERE tenant_id = 'beta'")
				require.NoError(t, err)
				assert.Zero(t, tag.RowsAffected(), "an UPDATE of beta's rows changes nothing")
				tag, err = tx.Exec(ctx, "DELETE FROM "+table+" WHERE tenant_id = 'beta'")
				require.NoError(t, err)
				assert.Zero(t, tag.RowsAffected(), "a DELETE of beta's rows deletes nothing")
				tag, err = tx.Exec(ctx, "UPDATE "+table+" SET tenant_id = 'beta'")
				assert.ErrorContains(t, err, "new row violates row-level security policy", "acme cannot hand its rows to beta")
			})
			asApp(t, conn, "", func(tx pgx.Tx) {
				assert.Equal(t, 0, count(tx, "SELECT count(*) FROM "+table), "no context: no rows, never all rows")
				tag, err := tx.Exec(ctx, "DELETE FROM "+table)
				require.NoError(t, err)
				assert.Zero(t, tag.RowsAffected())
			})
		})
	}
	asApp(t, conn, "acme", func(tx pgx.Tx) {
		_, err := tx.Exec(ctx, `INSERT INTO users VALUES ('beta', 2, 'x@example.com', 'X', now())`)
		assert.ErrorContains(t, err, `new row violates row-level security policy for table "users"`, "acme cannot write a row as beta")
	})
	asApp(t, conn, "", func(tx pgx.Tx) {
		_, err := tx.Exec(ctx, `INSERT INTO users VALUES ('acme', 2, 'x@example.com', 'X', now())`)
		assert.ErrorContains(t, err, "new row violates row-level security policy", "no context: no write")
	})
	// The id comes from a value the tenant controls (a token claim, say):
	// whatever it holds, it sets no other tenant and no SQL.
	for _, forged := range []string{"acme', 'x'); SELECT set_config('app.current_tenant', 'beta', false); --", "beta ", "", "ACME", "acme;beta"} {
		asApp(t, conn, "", func(tx pgx.Tx) {
			_, err := tx.Exec(ctx, "SELECT tenancy_set_tenant($1, 'free')", forged)
			assert.ErrorContains(t, err, "is not a tenant id", "%q", forged)
		})
	}
	asApp(t, conn, "", func(tx pgx.Tx) {
		_, err := tx.Exec(ctx, "SELECT tenancy_set_tenant('acme', 'platinum')")
		assert.ErrorContains(t, err, "is not a tier (enterprise, free, pro)")
	})
	// The context is the transaction's: the next transaction on the same
	// pooled connection has none.
	asApp(t, conn, "acme", func(pgx.Tx) {})
	asApp(t, conn, "", func(tx pgx.Tx) {
		assert.Equal(t, 0, count(tx, "SELECT count(*) FROM users"))
		var timeout string
		require.NoError(t, tx.QueryRow(ctx, "SHOW statement_timeout").Scan(&timeout))
		assert.Equal(t, "0", timeout, "the tier's timeout ended with its transaction")
	})
	asApp(t, conn, "acme", func(tx pgx.Tx) {
		var timeout string
		require.NoError(t, tx.QueryRow(ctx, "SHOW statement_timeout").Scan(&timeout))
		assert.Equal(t, "2s", timeout, "a free tenant's statements stop at 2 s")
		_, err := tx.Exec(ctx, "SELECT pg_sleep(3)")
		assert.ErrorContains(t, err, "canceling statement due to statement timeout")
	})
}
