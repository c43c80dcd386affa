package tenantdata

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Rollback moves a tenant back: in one transaction on its dedicated
// database it replaces the tables' rows with the tenant's rows on the shared
// database (the rows written since cutover included), read in one snapshot,
// and verifies them there before committing; only then does it erase the
// tenant from the shared database. A failure at any step before the commit
// leaves the dedicated database as it was, and the shared one untouched.
func Rollback(ctx context.Context, c Conns, m *Manifest, tenant string) (*Record, *Erasure, error) {
	rec := &Record{Tenant: tenant, Kind: "rollback", Source: c.SharedName, Target: c.DedicatedName, StartedAt: time.Now().UTC()}
	src, err := snapshot(ctx, c.Shared, c.Dedicated, tenant, &rec.Snapshot)
	if err != nil {
		return nil, nil, err
	}
	defer src.Rollback(ctx)
	dst, err := c.Dedicated.Begin(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer dst.Rollback(ctx)
	ps, err := plans(ctx, m, src, dst, c.SharedName, c.DedicatedName)
	if err != nil {
		return nil, nil, err
	}
	for i := len(ps) - 1; i >= 0; i-- { // children first: their foreign keys point at the parents
		if _, err := dst.Exec(ctx, "DELETE FROM "+pgx.Identifier{ps[i].Name}.Sanitize()); err != nil {
			return nil, nil, fmt.Errorf("%s: clearing %s: %w", c.DedicatedName, ps[i].Name, err)
		}
	}
	var bytes atomic.Int64
	for _, p := range ps {
		t, cols := pgx.Identifier{p.Name}.Sanitize(), identList(p.cols)
		out := fmt.Sprintf("COPY (SELECT %s FROM %s WHERE tenant_id = %s ORDER BY %s) TO STDOUT (FORMAT binary)", cols, t, quote(tenant), pgx.Identifier{p.Key}.Sanitize())
		n, err := pipe(ctx, src.Conn().PgConn(), dst.Conn().PgConn(), out, "COPY "+t+" ("+cols+") FROM STDIN (FORMAT binary)", &bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("copying %s back into %s: %w (nothing committed)", p.Name, c.DedicatedName, err)
		}
		rec.Rows += n
	}
	rec.Bytes = bytes.Load()
	if rec.Tables, err = verifyTables(ctx, dst, src, ps, tenant); err != nil {
		return nil, nil, err
	}
	rec.finish()
	if !rec.Passed {
		return rec, nil, fmt.Errorf("the copy back does not match, so nothing was committed and the shared rows stay: %s", strings.Join(rec.Mismatches(), "; "))
	}
	if err := dst.Commit(ctx); err != nil {
		return nil, nil, err
	}
	if err := src.Commit(ctx); err != nil {
		return nil, nil, err
	}
	er, err := Erase(ctx, c.Shared, m, tenant)
	return rec, er, err
}

// Erasure is what an erasure deleted, and the proof none remains.
type Erasure struct {
	Tenant      string           `json:"tenant"`
	Database    string           `json:"database,omitempty"`
	At          time.Time        `json:"at"`
	Deleted     map[string]int64 `json:"rowsDeleted"`
	Remaining   int64            `json:"rowsRemaining"`
	CacheKeys   int64            `json:"cacheKeysDeleted"`
	CacheRemain int64            `json:"cacheKeysRemaining"`
}

// Erase deletes the tenant's rows from every tenant table in one
// transaction (children first), counts what remains inside it, and commits
// only when nothing does.
func Erase(ctx context.Context, conn *pgx.Conn, m *Manifest, tenant string) (*Erasure, error) {
	if !TenantID.MatchString(tenant) {
		return nil, fmt.Errorf("%q is not a tenant id", tenant)
	}
	er := &Erasure{Tenant: tenant, Deleted: map[string]int64{}}
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('app.current_tenant', $1, true)", tenant); err != nil {
			return err
		}
		for i := len(m.Tables) - 1; i >= 0; i-- {
			t := pgx.Identifier{m.Tables[i].Name}.Sanitize()
			tag, err := tx.Exec(ctx, "DELETE FROM "+t+" WHERE tenant_id = $1", tenant)
			if err != nil {
				return fmt.Errorf("deleting from %s: %w", m.Tables[i].Name, err)
			}
			er.Deleted[m.Tables[i].Name] = tag.RowsAffected()
		}
		for _, t := range m.Tables {
			var n int64
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{t.Name}.Sanitize()+" WHERE tenant_id = $1", tenant).Scan(&n); err != nil {
				return err
			}
			er.Remaining += n
		}
		if er.Remaining != 0 {
			return fmt.Errorf("%d rows of %s remain after the deletes: nothing was committed", er.Remaining, tenant)
		}
		return nil
	})
	er.At = time.Now().UTC()
	if err != nil {
		return nil, err
	}
	return er, nil
}
