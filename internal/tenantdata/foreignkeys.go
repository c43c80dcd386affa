package tenantdata

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ForeignKeyCheck is one foreign key of a tenant table, checked for the
// tenant's rows on the shared database after a copy.
type ForeignKeyCheck struct {
	Constraint string `json:"constraint"`
	Table      string `json:"table"`
	Orphans    int64  `json:"orphans"` // the tenant's rows whose parent is missing
}

// relaxForeignKeys lets a superuser's copy skip PostgreSQL's per-row
// foreign-key triggers (session_replication_role = replica, for this
// session only): they dominate a bulk copy's time, and the copy checks every
// foreign key of the tenant's rows at the end instead (checkForeignKeys).
// A role that may not set it copies with the triggers, as any other writer.
// It returns a func that restores the setting.
func relaxForeignKeys(ctx context.Context, conn *pgx.Conn) (restore func(), relaxed bool) {
	if _, err := conn.Exec(ctx, "SET session_replication_role = replica"); err != nil {
		return func() {}, false
	}
	return func() { _, _ = conn.Exec(ctx, "SET session_replication_role = DEFAULT") }, true
}

// checkForeignKeys counts, for each foreign key of the manifest's tables,
// the tenant's rows on conn whose referenced row is missing: an anti-join
// over the tenant's rows alone.
func checkForeignKeys(ctx context.Context, conn *pgx.Conn, m *Manifest, tenant string) ([]ForeignKeyCheck, error) {
	out := []ForeignKeyCheck{}
	for _, t := range m.Tables {
		rows, err := conn.Query(ctx, `SELECT c.conname, c.confrelid::regclass::text,
			array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i),
			array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)
			FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = to_regclass($1) ORDER BY c.conname`, t.Name)
		if err != nil {
			return nil, err
		}
		type fk struct {
			name, parent   string
			child, parents []string
		}
		fks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (fk, error) {
			var f fk
			err := r.Scan(&f.name, &f.parent, &f.child, &f.parents)
			return f, err
		})
		if err != nil {
			return nil, err
		}
		for _, f := range fks {
			var on, notNull []string
			for i := range f.child {
				c, p := pgx.Identifier{f.child[i]}.Sanitize(), pgx.Identifier{f.parents[i]}.Sanitize()
				on = append(on, "y."+p+" = x."+c)
				notNull = append(notNull, "x."+c+" IS NOT NULL")
			}
			q := fmt.Sprintf("SELECT count(*) FROM %s x WHERE x.tenant_id = $1 AND %s AND NOT EXISTS (SELECT 1 FROM %s y WHERE %s)",
				pgx.Identifier{t.Name}.Sanitize(), strings.Join(notNull, " AND "), f.parent, strings.Join(on, " AND "))
			c := ForeignKeyCheck{Constraint: f.name, Table: t.Name}
			if err := conn.QueryRow(ctx, q, tenant).Scan(&c.Orphans); err != nil {
				return nil, fmt.Errorf("checking %s on %s: %w", f.name, t.Name, err)
			}
			out = append(out, c)
		}
	}
	return out, nil
}
