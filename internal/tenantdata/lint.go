package tenantdata

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Finding is one way a shared database falls short of tenant isolation.
type Finding struct {
	Table   string // "" for the database as a whole
	Problem string
	Fix     string
}

func (f Finding) String() string {
	where := "database"
	if f.Table != "" {
		where = "table " + f.Table
	}
	return fmt.Sprintf("%s: %s (fix: %s)", where, f.Problem, f.Fix)
}

// closedPolicy is the only policy expression lint accepts, as PostgreSQL
// writes it back: with no tenant set it is NULL, and matches no row.
const closedPolicy = "(tenant_id = current_setting('app.current_tenant'::text, true))"

// Lint checks a shared database: every manifest table has tenant_id,
// row-level security enabled and forced, and a policy for all commands whose
// USING and WITH CHECK are the closed expression; no other permissive
// policy widens it (permissive policies are ORed); every table with a
// tenant_id is in the manifest; and the application role exists, owns no
// tenant table, is no superuser and cannot bypass row-level security.
func Lint(ctx context.Context, conn *pgx.Conn, m *Manifest) ([]Finding, error) {
	var out []Finding
	add := func(table, problem, fix string) { out = append(out, Finding{table, problem, fix}) }
	inManifest := map[string]bool{}
	for _, t := range m.Tables {
		inManifest[t.Name] = true
		var rls, forced, hasTenant bool
		var owner string
		err := conn.QueryRow(ctx, `SELECT c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner),
			EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
			FROM pg_class c WHERE c.oid = to_regclass($1)`, t.Name).Scan(&rls, &forced, &owner, &hasTenant)
		if err == pgx.ErrNoRows {
			add(t.Name, "is in the manifest but not in the database", "run tenancy db bootstrap")
			continue
		} else if err != nil {
			return nil, err
		}
		if !hasTenant {
			add(t.Name, "has no tenant_id column", "add tenant_id text NOT NULL, first in its primary key")
		}
		if !rls {
			add(t.Name, "row-level security is off", "ALTER TABLE "+t.Name+" ENABLE ROW LEVEL SECURITY (tenancy db bootstrap does)")
		}
		if !forced {
			add(t.Name, "row-level security is not forced, so its owner bypasses it", "ALTER TABLE "+t.Name+" FORCE ROW LEVEL SECURITY")
		}
		if owner == AppRole {
			add(t.Name, "is owned by the application role "+AppRole+", which may then turn row-level security off", "ALTER TABLE "+t.Name+" OWNER TO the migration role")
		}
		ps, err := policies(ctx, conn, t.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, checkPolicies(t.Name, ps)...)
	}
	rows, err := conn.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE a.attname = 'tenant_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
		AND c.relnamespace = to_regnamespace(current_schema()) ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if !inManifest[n] {
			add(n, "has tenant_id but is not in the manifest, so nothing holds it to row-level security", "add it to internal/tenantdata/schema/manifest.yaml and run tenancy db bootstrap")
		}
	}
	return append(out, lintRole(ctx, conn)...), nil
}

type policy struct {
	name, cmd, qual, check string
	permissive             bool
}

func policies(ctx context.Context, conn *pgx.Conn, table string) ([]policy, error) {
	rows, err := conn.Query(ctx, `SELECT policyname, cmd, coalesce(qual, ''), coalesce(with_check, ''), permissive = 'PERMISSIVE'
		FROM pg_policies WHERE schemaname = current_schema() AND tablename = $1 ORDER BY policyname`, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (policy, error) {
		var p policy
		err := r.Scan(&p.name, &p.cmd, &p.qual, &p.check, &p.permissive)
		return p, err
	})
}

func checkPolicies(table string, ps []policy) []Finding {
	var out []Finding
	closed := false
	for _, p := range ps {
		q, c := squash(p.qual), squash(p.check)
		if p.cmd == "ALL" && q == closedPolicy && (c == closedPolicy || c == "") {
			closed = true
			continue
		}
		if p.permissive {
			out = append(out, Finding{table, fmt.Sprintf("permissive policy %s (%s, USING %s) widens the tenant policy: it does not fail closed", p.name, p.cmd, orNone(p.qual)),
				"drop it, or make it RESTRICTIVE"})
		}
	}
	if !closed {
		out = append(out, Finding{table, "has no policy for all commands with USING and WITH CHECK " + closedPolicy,
			"run tenancy db bootstrap, which creates " + PolicyName})
	}
	return out
}

func lintRole(ctx context.Context, conn *pgx.Conn) []Finding {
	var super, bypass bool
	err := conn.QueryRow(ctx, `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, AppRole).Scan(&super, &bypass)
	if err != nil {
		return []Finding{{"", "the application role " + AppRole + " does not exist", "run tenancy db bootstrap"}}
	}
	var out []Finding
	if super {
		out = append(out, Finding{"", AppRole + " is a superuser, which bypasses row-level security", "ALTER ROLE " + AppRole + " NOSUPERUSER"})
	}
	if bypass {
		out = append(out, Finding{"", AppRole + " has BYPASSRLS", "ALTER ROLE " + AppRole + " NOBYPASSRLS"})
	}
	return out
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
