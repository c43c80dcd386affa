package tenantdata

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Mode is which database a bootstrap sets up.
type Mode string

// The two databases a tenant's rows live in.
const (
	Shared    Mode = "shared"    // tenant_id on every row, row-level security
	Dedicated Mode = "dedicated" // one tenant's database: no tenant_id
)

// AppRole is the role the application connects as on the shared database
// (grant it to the application's login): it owns no tenant table and has no
// BYPASSRLS, so every row it reads or writes passes the tenant policy. The
// role that runs bootstrap and the migrations owns the tables.
const AppRole = "tenancy_app"

// PolicyName is the tenant policy on each tenant table.
const PolicyName = "tenant_isolation"

// BootstrapResult says what a bootstrap changed.
type BootstrapResult struct {
	Applied []string // migrations applied now
	Already []string // migrations applied before
	// Isolation lists the isolation steps that changed something (RLS turned
	// on, a policy or the role created); empty on a re-run.
	Isolation []string
}

// Bootstrap applies the mode's versioned migrations (schema/<mode>/*.sql)
// that the database has not applied, each in its own transaction and
// recorded in tenancy_schema_migrations with its checksum, then (shared)
// sets up isolation. Re-running changes nothing. A recorded migration whose
// file changed since is refused: migrations are append-only.
func Bootstrap(ctx context.Context, conn *pgx.Conn, mode Mode, m *Manifest) (*BootstrapResult, error) {
	files, err := fs.Glob(schemaFS, "schema/"+string(mode)+"/*.sql")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no migrations for mode %q (shared or dedicated)", mode)
	}
	sort.Strings(files)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS tenancy_schema_migrations (
		version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("creating tenancy_schema_migrations: %w", err)
	}
	res := &BootstrapResult{}
	for _, f := range files {
		b, _ := schemaFS.ReadFile(f)
		sum := sha256.Sum256(b)
		version, checksum := path.Base(f), hex.EncodeToString(sum[:])
		var recorded string
		err := conn.QueryRow(ctx, `SELECT checksum FROM tenancy_schema_migrations WHERE version = $1`, version).Scan(&recorded)
		switch {
		case err == nil && recorded == checksum:
			res.Already = append(res.Already, version)
			continue
		case err == nil:
			return nil, fmt.Errorf("migration %s was applied with checksum %s, but the file now has %s: migrations are append-only; "+
				"add a new file instead of editing an applied one", version, recorded[:12], checksum[:12])
		case err != pgx.ErrNoRows:
			return nil, err
		}
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(b)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO tenancy_schema_migrations (version, checksum) VALUES ($1, $2)`, version, checksum)
			return err
		}); err != nil {
			return nil, fmt.Errorf("migration %s: %w", version, err)
		}
		res.Applied = append(res.Applied, version)
	}
	if mode == Shared {
		if res.Isolation, err = isolate(ctx, conn, m); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// isolate turns row-level security on and forces it (the tables' owner is
// held to it too) on every tenant table, with one policy for all commands
// whose USING and WITH CHECK compare tenant_id with the transaction's tenant
// setting. current_setting(..., true) is NULL when no tenant is set, and
// NULL matches no row: no context, no rows, and no write passes the check.
// The application role gets the table privileges and nothing more, and
// tenancy_set_tenant is (re)defined from the manifest's timeouts.
func isolate(ctx context.Context, conn *pgx.Conn, m *Manifest) ([]string, error) {
	var changed []string
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, AppRole).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE ROLE "+AppRole+" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"); err != nil {
			return nil, fmt.Errorf("creating role %s: %w", AppRole, err)
		}
		changed = append(changed, "role "+AppRole+" created")
	}
	for _, t := range m.Tables {
		var rls, forced bool
		if err := conn.QueryRow(ctx, `SELECT relrowsecurity, relforcerowsecurity FROM pg_class
			WHERE oid = to_regclass($1)`, t.Name).Scan(&rls, &forced); err != nil {
			return nil, fmt.Errorf("table %s (in the manifest): %w", t.Name, noTable(err))
		}
		if !rls || !forced {
			if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY", t.Name)); err != nil {
				return nil, err
			}
			changed = append(changed, "row-level security forced on "+t.Name)
		}
		var policies int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_policies WHERE schemaname = current_schema() AND tablename = $1 AND policyname = $2`,
			t.Name, PolicyName).Scan(&policies); err != nil {
			return nil, err
		}
		if policies == 0 {
			if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE POLICY %s ON %s FOR ALL
				USING (tenant_id = current_setting('app.current_tenant', true))
				WITH CHECK (tenant_id = current_setting('app.current_tenant', true))`, PolicyName, t.Name)); err != nil {
				return nil, err
			}
			changed = append(changed, "policy "+PolicyName+" on "+t.Name)
		}
		if _, err := conn.Exec(ctx, fmt.Sprintf("GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %s", t.Name, AppRole)); err != nil {
			return nil, err
		}
	}
	if _, err := conn.Exec(ctx, setTenantFunction(m)); err != nil {
		return nil, fmt.Errorf("defining tenancy_set_tenant: %w", err)
	}
	_, err := conn.Exec(ctx, "GRANT EXECUTE ON FUNCTION tenancy_set_tenant(text, text) TO "+AppRole)
	return changed, err
}

// setTenantFunction is how the application sets the tenant context, once
// per transaction: SELECT tenancy_set_tenant($1, $2), with the tenant id and
// tier from the verified token as bound parameters. Both settings are local
// to the transaction (set_config(..., true) is SET LOCAL), so a pooled
// connection carries no tenant into the next transaction. An id that is not
// a registry slug, or an unknown tier, raises: nothing is set.
func setTenantFunction(m *Manifest) string {
	var cases []string
	for _, tier := range m.Tiers() {
		cases = append(cases, fmt.Sprintf("WHEN %s THEN %s", quote(tier), quote(m.StatementTimeouts[tier])))
	}
	return `CREATE OR REPLACE FUNCTION tenancy_set_tenant(p_tenant text, p_tier text) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    timeout text;
BEGIN
    IF p_tenant IS NULL OR p_tenant !~ '` + TenantID.String() + `' THEN
        RAISE EXCEPTION 'tenancy_set_tenant: % is not a tenant id', quote_nullable(p_tenant);
    END IF;
    timeout := CASE p_tier ` + strings.Join(cases, " ") + ` END;
    IF timeout IS NULL THEN
        RAISE EXCEPTION 'tenancy_set_tenant: % is not a tier (` + strings.Join(m.Tiers(), ", ") + `)', quote_nullable(p_tier);
    END IF;
    PERFORM set_config('app.current_tenant', p_tenant, true);
    PERFORM set_config('statement_timeout', timeout, true);
END;
$fn$`
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func noTable(err error) error {
	if err == pgx.ErrNoRows {
		return fmt.Errorf("no such table")
	}
	return err
}
