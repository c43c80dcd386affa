package tenantdata

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// KeyPrefix is a tenant's keyspace in the shared cache: tenant:{id}:. The
// braces are a Redis Cluster hash tag, so all of a tenant's keys live in one
// slot (one node holds them; a sweep of one tenant is one node's).
func KeyPrefix(tenant string) string { return "tenant:{" + tenant + "}:" }

// ErrCacheHoldsTenant is returned when the shared cache already holds keys
// of the tenant and Resume was not asked.
var ErrCacheHoldsTenant = errors.New("the shared cache already holds the tenant's keys")

// scan lists the keys matching pattern.
func scan(ctx context.Context, c *redis.Client, pattern string) ([]string, error) {
	var out []string
	iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
	for iter.Next(ctx) {
		out = append(out, iter.Val())
	}
	return out, iter.Err()
}

// CopyCache copies every key of a tenant's dedicated cache into the shared
// one under KeyPrefix, value and TTL with it (DUMP and RESTORE), then
// verifies. A shared cache that already holds the tenant's keys is refused
// unless resume, which overwrites them.
func CopyCache(ctx context.Context, dedicated, shared *redis.Client, tenant string, resume bool) (*CacheCheck, error) {
	prefix := KeyPrefix(tenant)
	if held, err := scan(ctx, shared, prefix+"*"); err != nil {
		return nil, err
	} else if len(held) > 0 && !resume {
		return nil, fmt.Errorf("%w: %d keys under %s* (fix: pass --resume to overwrite them, or erase the tenant first)", ErrCacheHoldsTenant, len(held), prefix)
	}
	keys, err := scan(ctx, dedicated, "*")
	if err != nil {
		return nil, err
	}
	err = eachDump(ctx, dedicated, keys, func(batch []dumped) error {
		out := shared.Pipeline()
		for _, d := range batch {
			out.RestoreReplace(ctx, prefix+d.key, max(d.ttl, 0), d.value) // a negative TTL: none
		}
		if _, err := out.Exec(ctx); err != nil {
			return fmt.Errorf("restoring keys into the shared cache: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return VerifyCache(ctx, dedicated, shared, tenant)
}

// VerifyCache compares the dedicated cache with the tenant's keyspace in
// the shared one: key counts, a checksum of names and values, and that
// every key with a TTL kept one.
func VerifyCache(ctx context.Context, dedicated, shared *redis.Client, tenant string) (*CacheCheck, error) {
	prefix := KeyPrefix(tenant)
	c := &CacheCheck{}
	srcSum, n, withTTL, err := cacheSum(ctx, dedicated, "*", "")
	if err != nil {
		return nil, err
	}
	c.SourceKeys, c.SourceChecksum, c.WithTTL = n, srcSum, withTTL
	dstSum, n, kept, err := cacheSum(ctx, shared, prefix+"*", prefix)
	if err != nil {
		return nil, err
	}
	c.TargetKeys, c.TargetChecksum, c.TTLKept = n, dstSum, kept
	c.Match = c.SourceKeys == c.TargetKeys && c.SourceChecksum == c.TargetChecksum && c.TTLKept >= c.WithTTL
	return c, nil
}

// cacheSum sums a 64-bit hash of each key (less strip) and its DUMP: an
// order-independent checksum; it also counts keys with a TTL.
func cacheSum(ctx context.Context, c *redis.Client, pattern, strip string) (string, int64, int64, error) {
	keys, err := scan(ctx, c, pattern)
	if err != nil {
		return "", 0, 0, err
	}
	sum := new(big.Int)
	var n, withTTL int64
	err = eachDump(ctx, c, keys, func(batch []dumped) error {
		for _, d := range batch {
			h := sha256.Sum256([]byte(strings.TrimPrefix(d.key, strip) + "\x00" + d.value))
			sum.Add(sum, new(big.Int).SetUint64(binary.BigEndian.Uint64(h[:8])))
			n++
			if d.ttl > 0 {
				withTTL++
			}
		}
		return nil
	})
	if err != nil {
		return "", 0, 0, err
	}
	return sum.String(), n, withTTL, nil
}

// dumped is one key's DUMP and TTL.
type dumped struct {
	key, value string
	ttl        time.Duration
}

// eachDump DUMPs and PTTLs keys 500 at a time, in one pipeline a batch, and
// hands each batch to f; a key that expired since the SCAN is left out.
func eachDump(ctx context.Context, c *redis.Client, keys []string, f func([]dumped) error) error {
	for start := 0; start < len(keys); start += 500 {
		batch := keys[start:min(start+500, len(keys))]
		pipe := c.Pipeline()
		dumps := make([]*redis.StringCmd, len(batch))
		ttls := make([]*redis.DurationCmd, len(batch))
		for i, k := range batch {
			dumps[i], ttls[i] = pipe.Dump(ctx, k), pipe.PTTL(ctx, k)
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		var out []dumped
		for i, k := range batch {
			if v, err := dumps[i].Result(); err == nil {
				out = append(out, dumped{k, v, ttls[i].Val()})
			} else if !errors.Is(err, redis.Nil) {
				return err
			}
		}
		if err := f(out); err != nil {
			return err
		}
	}
	return nil
}

// CacheBack copies the tenant's keys from the shared cache into its
// dedicated one (prefix removed, TTLs kept), replacing what is there.
func CacheBack(ctx context.Context, shared, dedicated *redis.Client, tenant string) (*CacheCheck, error) {
	prefix := KeyPrefix(tenant)
	keys, err := scan(ctx, shared, prefix+"*")
	if err != nil {
		return nil, err
	}
	if err := dedicated.FlushDB(ctx).Err(); err != nil {
		return nil, err
	}
	err = eachDump(ctx, shared, keys, func(batch []dumped) error {
		out := dedicated.Pipeline()
		for _, d := range batch {
			out.RestoreReplace(ctx, strings.TrimPrefix(d.key, prefix), max(d.ttl, 0), d.value)
		}
		_, err := out.Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return VerifyCache(ctx, dedicated, shared, tenant)
}

// EraseCache deletes the tenant's keyspace from the shared cache in one
// sweep and proves none remains.
func EraseCache(ctx context.Context, shared *redis.Client, tenant string) (deleted, remaining int64, err error) {
	prefix := KeyPrefix(tenant)
	keys, err := scan(ctx, shared, prefix+"*")
	if err != nil {
		return 0, 0, err
	}
	for start := 0; start < len(keys); start += 500 {
		n, err := shared.Unlink(ctx, keys[start:min(start+500, len(keys))]...).Result()
		if err != nil {
			return deleted, 0, err
		}
		deleted += n
	}
	left, err := scan(ctx, shared, prefix+"*")
	return deleted, int64(len(left)), err
}
