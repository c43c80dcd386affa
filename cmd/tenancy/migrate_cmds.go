package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/tenantdata"
)

func migrateCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var f moveFlags
	var resume bool
	var batch int
	tenant := command("tenant ID", "copy a tenant's rows and cache into the shared tier, then verify them",
		"Copy the tenant's rows from its dedicated database into the shared one with tenant_id set, from one consistent\n"+
			"snapshot, with PostgreSQL's COPY protocol, in batches each committed on its own (an interrupted copy resumes with\n"+
			"--resume, duplicating no row), and its cache keys under tenant:{ID}: with their TTLs; then verify every table (row\n"+
			"count and checksum on both sides) and the cache, and write the record. Exit 1 when verification fails.",
		exactlyOneTenant, func(fs *pflag.FlagSet) {
			f.register(fs, "where to write the verification record (default tenants/records/ID.migration.json)")
			fs.BoolVar(&resume, "resume", false, "finish an interrupted copy: continue after the last key the target holds")
			fs.IntVar(&batch, "batch-rows", 50000, "rows per batch (each batch is one transaction on the shared database)")
		}, func(args []string) int { return runMigrate(args[0], &f, resume, batch, stdout, stderr) }, code)
	verify := command("verify ID", "re-check a migrated tenant: counts and checksums on both sides",
		"Compare every tenant table (row count and checksum) and the cache between the tenant's dedicated database and the\n"+
			"shared one, now, and write a verification record. Exit 1 when they differ.",
		exactlyOneTenant, func(fs *pflag.FlagSet) {
			f.register(fs, "where to write the record (default tenants/records/ID.verification.json)")
		}, func(args []string) int { return runVerify(args[0], &f, stdout, stderr) }, code)
	rollback := command("rollback ID", "move a tenant back to its dedicated database, then remove it from the shared one",
		"Replace the tenant's rows in its dedicated database with its rows on the shared database (those written since\n"+
			"cutover included) in one transaction, verify them there, and only then delete them from the shared database;\n"+
			"the cache likewise. --from is the dedicated database, --to the shared one, as for the migration.",
		exactlyOneTenant, func(fs *pflag.FlagSet) {
			f.register(fs, "where to write the rollback record (default tenants/records/ID.rollback.json)")
		}, func(args []string) int { return runRollback(args[0], &f, stdout, stderr) }, code)
	return group("migrate", "move tenants' data to the shared tier, verify, roll back, plan the waves",
		tenant, verify, rollback, markVerifiedCommand(stdout, stderr, code), planCommand(stdout, stderr, code))
}

func runMigrate(id string, f *moveFlags, resume bool, batch int, stdout, stderr io.Writer) int {
	if batch <= 0 {
		fmt.Fprintln(stderr, "tenancy migrate tenant: --batch-rows must be positive")
		return exitUsage
	}
	mv, code := f.open(stderr)
	if code != exitOK {
		return code
	}
	defer mv.close()
	ctx := context.Background()
	rec, err := tenantdata.Migrate(ctx, mv.conns, mv.manifest, id, tenantdata.Options{BatchRows: batch, Resume: resume,
		Progress: func(p tenantdata.Progress) { fmt.Fprintf(stderr, "tenancy migrate tenant %s: %s\n", id, p) }})
	if err != nil {
		fmt.Fprintf(stderr, "tenancy migrate tenant %s: %v\n", id, err)
		return exitRuntime
	}
	path := orDefault(f.record, defaultRecord(id, "migration"))
	if mv.dedCache != nil {
		var cerr error
		if rec.Cache, cerr = tenantdata.CopyCache(ctx, mv.dedCache, mv.sharedCache, id, resume); cerr != nil {
			// The rows are copied and verified: say so, with their record,
			// and that the cache is not.
			rec.Passed = false // the cache is part of the move: not verified
			_ = rec.Write(path)
			fmt.Fprintf(stderr, "tenancy migrate tenant %s: the rows are copied and checked (record %s, not passed) but the cache is not: %v\n", id, path, cerr)
			return exitRuntime
		}
		rec.Passed = rec.Passed && rec.Cache.Match
	}
	return writeRecord(rec, path, stdout, stderr)
}

func runVerify(id string, f *moveFlags, stdout, stderr io.Writer) int {
	mv, code := f.open(stderr)
	if code != exitOK {
		return code
	}
	defer mv.close()
	rec, err := tenantdata.Verify(context.Background(), mv.conns, mv.manifest, id)
	if err == nil && mv.dedCache != nil {
		rec.Cache, err = tenantdata.VerifyCache(context.Background(), mv.dedCache, mv.sharedCache, id)
		rec.Passed = rec.Passed && err == nil && rec.Cache.Match
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy migrate verify %s: %v\n", id, err)
		return exitRuntime
	}
	return writeRecord(rec, orDefault(f.record, defaultRecord(id, "verification")), stdout, stderr)
}

func runRollback(id string, f *moveFlags, stdout, stderr io.Writer) int {
	mv, code := f.open(stderr)
	if code != exitOK {
		return code
	}
	defer mv.close()
	ctx := context.Background()
	rec, erased, err := tenantdata.Rollback(ctx, mv.conns, mv.manifest, id)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy migrate rollback %s: %v\n", id, err)
		return exitRuntime
	}
	if mv.dedCache != nil {
		if rec.Cache, err = tenantdata.CacheBack(ctx, mv.sharedCache, mv.dedCache, id); err == nil {
			// A cache that did not come back whole stays on the shared tier.
			if rec.Passed = rec.Passed && rec.Cache.Match; rec.Passed {
				erased.CacheKeys, erased.CacheRemain, err = tenantdata.EraseCache(ctx, mv.sharedCache, id)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "tenancy migrate rollback %s: the rows are back; the cache: %v\n", id, err)
			return exitRuntime
		}
	}
	code = writeRecord(rec, orDefault(f.record, defaultRecord(id, "rollback")), stdout, stderr)
	fmt.Fprintf(stdout, "removed from %s: %d rows, %d cache keys; %d remain\n", mv.conns.SharedName, sum(erased.Deleted), erased.CacheKeys, erased.Remaining+erased.CacheRemain)
	return code
}

func tenantCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var dsn, redisURL, confirm string
	erase := command("erase ID", "delete a tenant's rows and cache keys from the shared tier, and prove none remain",
		"The right to deletion: delete the tenant's rows from every tenant table of the shared database in one transaction\n"+
			"(committed only when a count inside it finds none left) and its cache keys (tenant:{ID}:*) in one sweep, then\n"+
			"print the record of what was erased. Refused unless --confirm repeats the id.",
		exactlyOneTenant, func(fs *pflag.FlagSet) {
			fs.StringVar(&dsn, "dsn", "", "the shared database (required)")
			fs.StringVar(&redisURL, "redis", "", "the shared cache")
			fs.StringVar(&confirm, "confirm", "", "the tenant's id again: erasure cannot be undone")
		}, func(args []string) int { return runErase(args[0], dsn, redisURL, confirm, stdout, stderr) }, code)
	return group("tenant", "act on one tenant's data", erase)
}

func runErase(id, dsn, redisURL, confirm string, stdout, stderr io.Writer) int {
	if confirm != id {
		fmt.Fprintf(stderr, "tenancy tenant erase: erasing %s cannot be undone: repeat its id with --confirm %s\n", id, id)
		return exitUsage
	}
	c, code := connectDB("the shared database", dsn, "--dsn", stderr)
	if code != exitOK {
		return code
	}
	defer c.Close(context.Background())
	m, err := tenantdata.LoadManifest()
	var er *tenantdata.Erasure
	if err == nil {
		er, err = tenantdata.Erase(context.Background(), c.Conn, m, id)
	}
	if err == nil && redisURL != "" {
		rc, rerr := redisClient("the shared cache", redisURL)
		if err = rerr; err == nil {
			defer rc.Close()
			er.CacheKeys, er.CacheRemain, err = tenantdata.EraseCache(context.Background(), rc, id)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "tenancy tenant erase %s: %v\n", id, err)
		return exitRuntime
	}
	er.Database = c.name
	b, _ := json.MarshalIndent(er, "", "  ")
	fmt.Fprintln(stdout, string(b))
	if er.Remaining+er.CacheRemain > 0 {
		fmt.Fprintf(stderr, "tenancy tenant erase %s: %d rows and %d keys remain\n", id, er.Remaining, er.CacheRemain)
		return exitRuntime
	}
	return exitOK
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sum(m map[string]int64) int64 {
	var t int64
	for _, v := range m {
		t += v
	}
	return t
}
