package tenantdata

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Progress is a copy's state, for a progress line.
type Progress struct {
	Table              string
	Rows, TotalRows    int64
	Bytes              int64
	Elapsed            time.Duration
	TableRows, TableOf int64
}

// Rate is bytes a second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Bytes) / p.Elapsed.Seconds()
}

// ETA is the time left at the row rate so far.
func (p Progress) ETA() time.Duration {
	if p.Rows == 0 || p.TotalRows <= p.Rows {
		return 0
	}
	perRow := p.Elapsed / time.Duration(p.Rows)
	return perRow * time.Duration(p.TotalRows-p.Rows)
}

// String is the progress line: rows, MB, rate, ETA.
func (p Progress) String() string {
	return fmt.Sprintf("%s: %d/%d rows; all tables %d/%d rows, %.1f MB, %.1f MB/s, ETA %s",
		p.Table, p.TableRows, p.TableOf, p.Rows, p.TotalRows, float64(p.Bytes)/1e6, p.Rate()/1e6, p.ETA().Round(time.Second))
}

// Options tune a copy.
type Options struct {
	BatchRows int  // rows per batch, each committed on its own (default 50,000)
	Resume    bool // continue after the last key a previous copy committed
	Progress  func(Progress)
}

func (o Options) batch() int {
	if o.BatchRows <= 0 {
		return 50000
	}
	return o.BatchRows
}

// ErrTargetHoldsTenant is returned when the target already holds the
// tenant's rows and Resume was not asked.
var ErrTargetHoldsTenant = errors.New("the target already holds the tenant's rows")

// session makes a connection's text forms of values the same on both sides
// (the checksums hash them), and sets the tenant context at session level:
// the migration role is held to row-level security unless it bypasses it.
func session(ctx context.Context, conn *pgx.Conn, tenant string) error {
	_, err := conn.Exec(ctx, `SELECT set_config('TimeZone', 'UTC', false), set_config('DateStyle', 'ISO, YMD', false),
		set_config('extra_float_digits', '3', false), set_config('IntervalStyle', 'postgres', false),
		set_config('bytea_output', 'hex', false), set_config('app.current_tenant', $1, false)`, tenant)
	return err
}

// bypassesRLS reports whether the session's role is exempt from row-level
// security (a superuser, or BYPASSRLS): PostgreSQL refuses COPY FROM into a
// table whose policies apply, so such a copy goes through a staging table.
func bypassesRLS(ctx context.Context, conn *pgx.Conn) (bool, error) {
	var b bool
	err := conn.QueryRow(ctx, `SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&b)
	return b, err
}

// columns lists a table's columns but tenant_id, in order; none: no table.
func columns(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'tenant_id' ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func identList(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = pgx.Identifier{c}.Sanitize()
	}
	return strings.Join(q, ", ")
}

// checksum is a table's row count and an order-independent checksum of the
// columns given: the sum, as numeric (no overflow), of a 64-bit hash of each
// row's text (hashtextextended, PostgreSQL's own; a third of md5's cost),
// over the rows where selects (a WHERE clause, or "").
func checksum(ctx context.Context, q querier, table string, cols []string, where string, args ...any) (int64, string, error) {
	var n int64
	var sum string
	err := q.QueryRow(ctx, fmt.Sprintf(`SELECT count(*), coalesce(sum(hashtextextended(ROW(%s)::text, 0)::numeric), 0)::text
		FROM %s %s`, identList(cols), pgx.Identifier{table}.Sanitize(), where), args...).Scan(&n, &sum)
	return n, sum, err
}

// countingReader counts the bytes a COPY moves.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// pipe streams COPY ... TO STDOUT on src into COPY ... FROM STDIN on dst,
// in PostgreSQL's binary format: no row is decoded on the way.
func pipe(ctx context.Context, src, dst *pgconn.PgConn, copyOut, copyIn string, bytes *atomic.Int64) (int64, error) {
	r, w := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		// CopyTo writes each row as it comes: buffered, the pipe hands
		// over 256 KB at a time instead of a row at a time.
		buf := bufio.NewWriterSize(w, 256<<10)
		_, err := src.CopyTo(ctx, buf, copyOut)
		if err == nil {
			err = buf.Flush()
		}
		w.CloseWithError(err)
		errc <- err
	}()
	tag, err := dst.CopyFrom(ctx, countingReader{r, bytes}, copyIn)
	r.CloseWithError(io.ErrClosedPipe)
	if srcErr := <-errc; srcErr != nil && err == nil {
		err = srcErr
	}
	return tag.RowsAffected(), err
}
