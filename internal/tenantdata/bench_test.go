package tenantdata

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testdb"
)

// BenchmarkMigrateOneGigabyteTenant moves a synthetic tenant of about 1 GB
// (the four sample tables; TENANCY_BENCH_USERS scales it) into the shared
// database with `tenancy migrate`'s copy and verification, and the same data
// through `pg_dump --data-only | psql` into a dedicated-schema database, the
// reference. Each reports MB/s of the source tables' size.
//
//	go test ./internal/tenantdata -run '^$' -bench MigrateOneGigabyte -benchtime 3x
func BenchmarkMigrateOneGigabyteTenant(b *testing.B) {
	users := 1_300_000 // about 1 GB of tables
	if s := os.Getenv("TENANCY_BENCH_USERS"); s != "" {
		users, _ = strconv.Atoi(s)
	}
	pg := testdb.StartPostgres(b)
	ctx := context.Background()
	m, err := LoadManifest()
	require.NoError(b, err)
	dedDSN := pg.CreateDB(b, "dedicated")
	ded := connect(b, dedDSN)
	_, err = Bootstrap(ctx, ded, Dedicated, m)
	require.NoError(b, err)
	pad := "repeat(md5(i::text), 4)" // 128 characters of noise a row
	for _, q := range []string{
		`INSERT INTO users SELECT i, 'user' || i || '@example.com', ` + pad + `, timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, $1) i`,
		`INSERT INTO products SELECT i, 'SKU-' || i, ` + pad + `, i FROM generate_series(1, $1) i`,
		`INSERT INTO orders SELECT i, 1 + i % $1, timestamptz '2026-02-01' + i * interval '1 second', i FROM generate_series(1, 3 * $1) i`,
		`INSERT INTO payments SELECT i, i, i, 'paid' FROM generate_series(1, 3 * $1) i`,
		`VACUUM ANALYZE`,
	} {
		if q == `VACUUM ANALYZE` {
			_, err = ded.Exec(ctx, q)
		} else {
			_, err = ded.Exec(ctx, q, users)
		}
		require.NoError(b, err)
	}
	var size int64
	require.NoError(b, ded.QueryRow(ctx, `SELECT sum(pg_table_size(c))::bigint FROM unnest(ARRAY['users', 'products', 'orders', 'payments']::regclass[]) c`).Scan(&size))
	b.Logf("source: %d users, %.0f MB of tables", users, float64(size)/1e6)
	mbps := func(b *testing.B, elapsed time.Duration) {
		b.ReportMetric(float64(size)/1e6/(elapsed.Seconds()/float64(b.N)), "MB/s")
	}

	// The targets are made once: a benchmark function runs more than once.
	shared := connect(b, pg.CreateDB(b, "shared"))
	_, err = Bootstrap(ctx, shared, Shared, m)
	require.NoError(b, err)
	refDSN := pg.CreateDB(b, "reference")
	ref := connect(b, refDSN)
	_, err = Bootstrap(ctx, ref, Dedicated, m)
	require.NoError(b, err)

	b.Run("tenancy-migrate", func(b *testing.B) {
		c := Conns{Dedicated: ded, Shared: shared, DedicatedName: "dedicated", SharedName: "shared"}
		var spent time.Duration
		for range b.N {
			_, err := shared.Exec(ctx, "TRUNCATE users, products, orders, payments")
			require.NoError(b, err)
			start := time.Now()
			rec, err := Migrate(ctx, c, m, "bench", Options{})
			spent += time.Since(start)
			require.NoError(b, err)
			require.True(b, rec.Passed)
		}
		mbps(b, spent)
	})

	b.Run("pg_dump-psql", func(b *testing.B) {
		var spent time.Duration
		for range b.N {
			_, err := ref.Exec(ctx, "TRUNCATE users, products, orders, payments")
			require.NoError(b, err)
			start := time.Now()
			cmd := exec.Command("bash", "-o", "pipefail", "-c", `"$BIN/pg_dump" --data-only -t users -t products -t orders -t payments "$FROM" | "$BIN/psql" -q -v ON_ERROR_STOP=1 "$TO" > /dev/null`)
			cmd.Env = append(os.Environ(), "BIN="+pg.Bin, "FROM="+dedDSN, "TO="+refDSN, "PATH="+filepath.Dir(pg.Bin)+":"+os.Getenv("PATH"))
			out, err := cmd.CombinedOutput()
			spent += time.Since(start)
			require.NoError(b, err, string(out))
		}
		mbps(b, spent)
	})
}
