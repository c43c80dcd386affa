package tenantdata

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tenancy-dev/tenancy/internal/testdb"
)

// dedicatedDB is a bootstrapped dedicated database holding n users, 2n
// products, 3n orders and 3n payments of one tenant.
func dedicatedDB(t *testing.T, pg *testdb.Postgres, name string, n int) (string, *pgx.Conn) {
	ctx := context.Background()
	dsn := pg.CreateDB(t, name)
	conn := connect(t, dsn)
	_, err := Bootstrap(ctx, conn, Dedicated, manifest(t))
	require.NoError(t, err)
	for _, q := range []string{
		`INSERT INTO users SELECT i, 'user' || i || '@example.com', 'User ' || i, timestamptz '2026-01-01' + i * interval '1 minute' FROM generate_series(1, $1) i`,
		`INSERT INTO products SELECT i, 'SKU-' || i, 'Product ' || i, i * 100 FROM generate_series(1, 2 * $1) i`,
		`INSERT INTO orders SELECT i, 1 + i % $1, timestamptz '2026-02-01' + i * interval '1 second', i * 7 FROM generate_series(1, 3 * $1) i`,
		`INSERT INTO payments SELECT i, i, i * 7, CASE WHEN i % 10 = 0 THEN 'refunded' ELSE 'paid' END FROM generate_series(1, 3 * $1) i`,
	} {
		_, err := conn.Exec(ctx, q, n)
		require.NoError(t, err)
	}
	return dsn, conn
}

func redisClient(t *testing.T, url string) *redis.Client {
	opts, err := redis.ParseURL(url)
	require.NoError(t, err)
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	return c
}

func rowCounts(t *testing.T, conn *pgx.Conn, where string, args ...any) map[string]int64 {
	out := map[string]int64{}
	for _, table := range manifest(t).Names() {
		var n int64
		require.NoError(t, conn.QueryRow(context.Background(), "SELECT count(*) FROM "+table+" "+where, args...).Scan(&n))
		out[table] = n
	}
	return out
}

// TestATenantMovesVerifiesRollsBackAndIsErased is the lifecycle on real
// PostgreSQL and Redis, with counts and checksums asserted at each step.
func TestATenantMovesVerifiesRollsBackAndIsErased(t *testing.T) {
	pg := testdb.StartPostgres(t)
	ctx := context.Background()
	m := manifest(t)
	dedDSN, ded := dedicatedDB(t, pg, "acme", 1000)
	sharedDSN, shared := sharedDB(t, pg, "shared")
	seedTwoTenants(t, shared) // acme's and beta's rows: the migration of gamma must leave them alone
	c := conns(dedDSN, ded, sharedDSN, shared)

	dedCache, sharedCache := redisClient(t, testdb.StartRedis(t)), redisClient(t, testdb.StartRedis(t))
	for i := range 50 {
		require.NoError(t, dedCache.Set(ctx, fmt.Sprintf("session:%d", i), fmt.Sprintf("v%d", i), 0).Err())
	}
	require.NoError(t, dedCache.Set(ctx, "rate:limit", "10", time.Hour).Err())
	require.NoError(t, dedCache.HSet(ctx, "cart:7", "sku", "SKU-1", "qty", "2").Err())

	// 1. Migrate: every row copied with tenant_id set, from one snapshot.
	var lines []Progress
	rec, err := Migrate(ctx, c, m, "gamma", Options{BatchRows: 700, Progress: func(p Progress) { lines = append(lines, p) }})
	require.NoError(t, err)
	require.True(t, rec.Passed, rec.Mismatches())
	assert.Equal(t, int64(1000+2000+3000+3000), rec.Rows)
	assert.Equal(t, map[string]int64{"users": 1000, "products": 2000, "orders": 3000, "payments": 3000}, rowCounts(t, shared, "WHERE tenant_id = 'gamma'"))
	assert.Equal(t, map[string]int64{"users": 1, "products": 1, "orders": 1, "payments": 1}, rowCounts(t, shared, "WHERE tenant_id = 'beta'"), "other tenants untouched")
	for _, tc := range rec.Tables {
		assert.Equal(t, tc.SourceChecksum, tc.TargetChecksum, tc.Name)
		assert.NotEqual(t, "0", tc.SourceChecksum)
	}
	assert.Equal(t, 2+3+5+5, len(lines), "a progress line per batch of 700 rows")
	assert.Contains(t, lines[len(lines)-1].String(), "payments: 3000/3000 rows; all tables 9000/9000 rows")
	assert.NotEmpty(t, rec.Snapshot)
	cc, err := CopyCache(ctx, dedCache, sharedCache, "gamma", false)
	require.NoError(t, err)
	assert.True(t, cc.Match)
	assert.Equal(t, int64(52), cc.TargetKeys)
	assert.Equal(t, int64(1), cc.WithTTL)
	ttl := sharedCache.PTTL(ctx, "tenant:{gamma}:rate:limit").Val()
	assert.Greater(t, ttl, 59*time.Minute, "the TTL came along")
	assert.Equal(t, "SKU-1", sharedCache.HGet(ctx, "tenant:{gamma}:cart:7", "sku").Val())

	// 2. Verify again later: still the same.
	again, err := Verify(ctx, c, m, "gamma")
	require.NoError(t, err)
	assert.True(t, again.Passed)
	assert.Equal(t, rec.Tables, again.Tables)
	// A row changed on one side is caught.
	_, err = shared.Exec(ctx, "UPDATE products SET price_cents = price_cents + 1 WHERE tenant_id = 'gamma' AND id = 5")
	require.NoError(t, err)
	changed, err := Verify(ctx, c, m, "gamma")
	require.NoError(t, err)
	assert.False(t, changed.Passed)
	assert.Equal(t, []string{"table products: 2000 rows (checksum " + again.Tables[1].SourceChecksum + ") at the source, 2000 (checksum " +
		changed.Tables[1].TargetChecksum + ") at the target"}, changed.Mismatches())

	// 3. Rows written on the shared tier after cutover; then roll back: they
	// come home, the dedicated side verifies, and only then the shared rows go.
	_, err = shared.Exec(ctx, "INSERT INTO users VALUES ('gamma', 1001, 'late@example.com', 'Late', now())")
	require.NoError(t, err)
	back, erased, err := Rollback(ctx, c, m, "gamma")
	require.NoError(t, err)
	require.True(t, back.Passed, back.Mismatches())
	assert.Equal(t, map[string]int64{"users": 1001, "products": 2000, "orders": 3000, "payments": 3000}, rowCounts(t, ded, ""))
	var price int64
	require.NoError(t, ded.QueryRow(ctx, "SELECT price_cents FROM products WHERE id = 5").Scan(&price))
	assert.Equal(t, int64(501), price, "the shared side's state, written since cutover, came back")
	assert.Equal(t, int64(0), erased.Remaining)
	assert.Equal(t, map[string]int64{"users": 1001, "products": 2000, "orders": 3000, "payments": 3000}, erased.Deleted)
	assert.Equal(t, map[string]int64{"users": 0, "products": 0, "orders": 0, "payments": 0}, rowCounts(t, shared, "WHERE tenant_id = 'gamma'"))
	assert.Equal(t, map[string]int64{"users": 1, "products": 1, "orders": 1, "payments": 1}, rowCounts(t, shared, "WHERE tenant_id = 'beta'"))
	cb, err := CacheBack(ctx, sharedCache, dedCache, "gamma")
	require.NoError(t, err)
	assert.True(t, cb.Match)

	// 4. Erase the tenant (GDPR): from the shared cache, every key.
	deleted, left, err := EraseCache(ctx, sharedCache, "gamma")
	require.NoError(t, err)
	assert.Equal(t, int64(52), deleted)
	assert.Zero(t, left)
	assert.Equal(t, int64(52), dedCache.DBSize(ctx).Val(), "the dedicated cache keeps its keys")
	// And a second migration finds the shared side clean.
	rec2, err := Migrate(ctx, c, m, "gamma", Options{})
	require.NoError(t, err)
	assert.True(t, rec2.Passed)
	er, err := Erase(ctx, shared, m, "gamma")
	require.NoError(t, err)
	assert.Equal(t, int64(1001), er.Deleted["users"])
	assert.Equal(t, map[string]int64{"users": 0, "products": 0, "orders": 0, "payments": 0}, rowCounts(t, shared, "WHERE tenant_id = 'gamma'"))
}
