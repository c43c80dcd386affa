package tenantdata

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Conns are the two databases of a move and how to name them in messages.
type Conns struct {
	Dedicated, Shared         *pgx.Conn
	DedicatedName, SharedName string // redacted URLs
}

// plan is one table of a move: its columns on the source, checked against
// the target's.
type plan struct {
	Table
	cols []string
}

// plans reads each manifest table's columns on both sides: a table the
// source or target lacks, or a column the target lacks, is an error that
// names the table, the side and the fix.
func plans(ctx context.Context, m *Manifest, src, dst querier, srcName, dstName string) ([]plan, error) {
	var out []plan
	for _, t := range m.Tables {
		cols, err := columns(ctx, src, t.Name)
		if err != nil {
			return nil, err
		}
		if len(cols) == 0 {
			return nil, fmt.Errorf("%s has no table %s, which the manifest lists (internal/tenantdata/schema/manifest.yaml): "+
				"is this the tenant's database? (fix: bootstrap it, or point at the right database)", srcName, t.Name)
		}
		have, err := columns(ctx, dst, t.Name)
		if err != nil {
			return nil, err
		}
		set := map[string]bool{}
		for _, c := range have {
			set[c] = true
		}
		for _, c := range cols {
			if !set[c] {
				return nil, fmt.Errorf("%s: table %s has no column %s, which the source has (fix: run tenancy db bootstrap there)", dstName, t.Name, c)
			}
		}
		out = append(out, plan{t, cols})
	}
	return out, nil
}

// Migrate copies a tenant's rows from its dedicated database into the
// shared one with tenant_id set, every table read from one consistent
// snapshot of the source, in key order and in batches, each batch committed
// on its own: a copy killed mid-table resumes (Resume) after the last key it
// committed, and duplicates no row. It then verifies every table, in the
// same snapshot, and returns the record. A target that already holds the
// tenant's rows is refused unless Resume.
func Migrate(ctx context.Context, c Conns, m *Manifest, tenant string, o Options) (*Record, error) {
	rec := &Record{Tenant: tenant, Kind: "migration", Source: c.DedicatedName, Target: c.SharedName, StartedAt: time.Now().UTC()}
	src, err := snapshot(ctx, c.Dedicated, c.Shared, tenant, &rec.Snapshot)
	if err != nil {
		return nil, err
	}
	defer src.Rollback(ctx)
	direct, err := bypassesRLS(ctx, c.Shared)
	if err != nil {
		return nil, err
	}
	ps, err := plans(ctx, m, src, c.Shared, c.DedicatedName, c.SharedName)
	if err != nil {
		return nil, err
	}
	var total int64
	for _, p := range ps {
		n, held, err := sizes(ctx, src, c.Shared, p.Name, tenant)
		if err != nil {
			return nil, err
		}
		if held > 0 && !o.Resume {
			return nil, fmt.Errorf("%w: %s holds %d rows of %s in %s (fix: pass --resume to finish an interrupted copy, or erase them first with tenancy tenant erase)",
				ErrTargetHoldsTenant, c.SharedName, held, tenant, p.Name)
		}
		total += n
	}
	var bytes atomic.Int64
	prog := Progress{TotalRows: total}
	start := time.Now()
	restore, _ := relaxForeignKeys(ctx, c.Shared)
	for _, p := range ps {
		if err := copyToShared(ctx, src, c.Shared, p, tenant, direct, o, &prog, &bytes, start); err != nil {
			restore()
			return nil, fmt.Errorf("copying %s into %s: %w (the batches committed so far stay: re-run with --resume)", p.Name, c.SharedName, err)
		}
	}
	restore()
	rec.Rows, rec.Bytes = prog.Rows, bytes.Load()
	if rec.Tables, err = verifyTables(ctx, src, c.Shared, ps, tenant); err != nil {
		return nil, err
	}
	if rec.ForeignKeys, err = checkForeignKeys(ctx, c.Shared, m, tenant); err != nil {
		return nil, err
	}
	rec.finish()
	return rec, src.Commit(ctx)
}

// snapshot checks the tenant id, pins both sessions (text forms, tenant
// context) and opens a read-only REPEATABLE READ transaction on from: one
// consistent snapshot every table is read and checked in. id receives the
// snapshot, for the record.
func snapshot(ctx context.Context, from, to *pgx.Conn, tenant string, id *string) (pgx.Tx, error) {
	if !TenantID.MatchString(tenant) {
		return nil, fmt.Errorf("%q is not a tenant id (a registry slug: a-z, 0-9 and single hyphens)", tenant)
	}
	for _, conn := range []*pgx.Conn{from, to} {
		if err := session(ctx, conn, tenant); err != nil {
			return nil, err
		}
	}
	tx, err := from.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	if err := tx.QueryRow(ctx, "SELECT txid_current_snapshot()::text").Scan(id); err != nil {
		tx.Rollback(ctx)
		return nil, err
	}
	return tx, nil
}

// sizes are the source's rows of a table and the tenant's rows already in
// the shared one.
func sizes(ctx context.Context, src, dst querier, table, tenant string) (int64, int64, error) {
	var n, held int64
	t := pgx.Identifier{table}.Sanitize()
	if err := src.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
		return 0, 0, err
	}
	err := dst.QueryRow(ctx, "SELECT count(*) FROM "+t+" WHERE tenant_id = $1", tenant).Scan(&held)
	return n, held, err
}

// copyToShared copies one table in key order, a batch per transaction on
// the shared side, after the last key already there.
func copyToShared(ctx context.Context, src pgx.Tx, dst *pgx.Conn, p plan, tenant string, direct bool, o Options,
	prog *Progress, bytes *atomic.Int64, start time.Time) error {
	t, key, cols := pgx.Identifier{p.Name}.Sanitize(), pgx.Identifier{p.Key}.Sanitize(), identList(p.cols)
	var last *int64
	if err := dst.QueryRow(ctx, "SELECT max("+key+") FROM "+t+" WHERE tenant_id = $1", tenant).Scan(&last); err != nil {
		return err
	}
	var tableOf, done int64
	if err := src.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&tableOf); err != nil {
		return err
	}
	if last != nil {
		if err := src.QueryRow(ctx, "SELECT count(*) FROM "+t+" WHERE "+key+" <= $1", *last).Scan(&done); err != nil {
			return err
		}
		prog.Rows += done
	}
	lit := quote(tenant) // a checked slug
	for {
		// The batch's last key: an index range scan (an "IS NULL OR" here
		// would make PostgreSQL sort the whole table for every batch).
		var end *int64
		var err error
		if last == nil {
			err = src.QueryRow(ctx, "SELECT max("+key+") FROM (SELECT "+key+" FROM "+t+" ORDER BY "+key+" LIMIT $1) b", o.batch()).Scan(&end)
		} else {
			err = src.QueryRow(ctx, "SELECT max("+key+") FROM (SELECT "+key+" FROM "+t+" WHERE "+key+" > $1 ORDER BY "+key+" LIMIT $2) b", *last, o.batch()).Scan(&end)
		}
		if err != nil {
			return err
		}
		if end == nil {
			return nil
		}
		where := fmt.Sprintf("%s <= %d", key, *end)
		if last != nil {
			where = fmt.Sprintf("%s > %d AND %s", key, *last, where)
		}
		out := fmt.Sprintf("COPY (SELECT %s::text, %s FROM %s WHERE %s ORDER BY %s) TO STDOUT (FORMAT binary)", lit, cols, t, where, key)
		n, err := copyBatch(ctx, src.Conn(), dst, p.Name, cols, out, direct, bytes)
		if err != nil {
			return err
		}
		last, done, prog.Rows = end, done+n, prog.Rows+n
		if o.Progress != nil {
			prog.Table, prog.TableRows, prog.TableOf, prog.Bytes, prog.Elapsed = p.Name, done, tableOf, bytes.Load(), time.Since(start)
			o.Progress(*prog)
		}
	}
}

// copyBatch commits one batch on dst. A role held to row-level security
// cannot COPY FROM into the table: it copies into a temporary staging table
// and inserts from it, each row passing the policy's WITH CHECK.
func copyBatch(ctx context.Context, src, dst *pgx.Conn, table, cols, copyOut string, direct bool, bytes *atomic.Int64) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, dst, func(tx pgx.Tx) error {
		t := pgx.Identifier{table}.Sanitize()
		into := t
		if !direct {
			into = pgx.Identifier{"tenancy_stage_" + table}.Sanitize()
			if _, err := tx.Exec(ctx, "CREATE TEMP TABLE IF NOT EXISTS "+into+" (LIKE "+t+") ON COMMIT DELETE ROWS"); err != nil {
				return err
			}
		}
		var err error
		n, err = pipe(ctx, src.PgConn(), tx.Conn().PgConn(), copyOut, "COPY "+into+" (tenant_id, "+cols+") FROM STDIN (FORMAT binary)", bytes)
		if err != nil || direct {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO "+t+" (tenant_id, "+cols+") SELECT tenant_id, "+cols+" FROM "+into)
		return err
	})
	return n, err
}

// verifyTables compares each table's count and checksum on the dedicated
// side (src is read in the copy's snapshot) and the shared side.
func verifyTables(ctx context.Context, dedicated, shared querier, ps []plan, tenant string) ([]TableCheck, error) {
	var out []TableCheck
	for _, p := range ps {
		tc := TableCheck{Name: p.Name}
		// The two sides are two servers' work (or two connections'): at once.
		done := make(chan error, 1)
		go func() {
			var err error
			tc.SourceRows, tc.SourceChecksum, err = checksum(ctx, dedicated, p.Name, p.cols, "")
			done <- err
		}()
		var err error
		tc.TargetRows, tc.TargetChecksum, err = checksum(ctx, shared, p.Name, p.cols, "WHERE tenant_id = $1", tenant)
		if srcErr := <-done; srcErr != nil {
			return nil, srcErr
		}
		if err != nil {
			return nil, err
		}
		tc.Match = tc.SourceRows == tc.TargetRows && tc.SourceChecksum == tc.TargetChecksum
		out = append(out, tc)
	}
	return out, nil
}

// Verify re-checks a migrated tenant at any time: every table's count and
// checksum on both sides, the dedicated one read in one snapshot.
func Verify(ctx context.Context, c Conns, m *Manifest, tenant string) (*Record, error) {
	rec := &Record{Tenant: tenant, Kind: "verification", Source: c.DedicatedName, Target: c.SharedName, StartedAt: time.Now().UTC()}
	src, err := snapshot(ctx, c.Dedicated, c.Shared, tenant, &rec.Snapshot)
	if err != nil {
		return nil, err
	}
	defer src.Rollback(ctx)
	ps, err := plans(ctx, m, src, c.Shared, c.DedicatedName, c.SharedName)
	if err != nil {
		return nil, err
	}
	if rec.Tables, err = verifyTables(ctx, src, c.Shared, ps, tenant); err != nil {
		return nil, err
	}
	if rec.ForeignKeys, err = checkForeignKeys(ctx, c.Shared, m, tenant); err != nil {
		return nil, err
	}
	rec.finish()
	return rec, nil
}
