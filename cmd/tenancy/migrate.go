package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/tenancy-dev/tenancy/internal/tenantdata"
)

func exactlyOneTenant(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageError{fmt.Errorf("%s needs the tenant's id, e.g. %s acme", c.CommandPath(), c.CommandPath())}
	}
	if !tenantdata.TenantID.MatchString(args[0]) {
		return usageError{fmt.Errorf("%q is not a tenant id (a registry slug: a-z, 0-9 and single hyphens)", args[0])}
	}
	return nil
}

func dbCommand(stdout, stderr io.Writer, code *int) *cobra.Command {
	var dsn string
	var dedicated bool
	dsnFlag := func(fs *pflag.FlagSet) {
		fs.StringVar(&dsn, "dsn", "", "the database's URL, postgres://user:password@host:port/db (required)")
	}
	bootstrap := command("bootstrap", "apply the tenant schema and set up row-level security, idempotently",
		"Apply the tenant tables' versioned migrations (internal/tenantdata/schema) a database has not applied, and on the\n"+
			"shared database force row-level security with the tenant policy, create the application role tenancy_app and\n"+
			"tenancy_set_tenant. Re-running changes nothing. --dedicated sets up a tenant's own database (no tenant_id).",
		noArgs, func(fs *pflag.FlagSet) {
			dsnFlag(fs)
			fs.BoolVar(&dedicated, "dedicated", false, "a tenant's dedicated database: the same tables, no tenant_id, no row-level security")
		}, func([]string) int { return runBootstrap(dsn, dedicated, stdout, stderr) }, code)
	lint := command("lint", "fail on any tenant table without forced row-level security and a closed policy",
		"Check the shared database: every tenant table has tenant_id, row-level security enabled and forced, and a policy for\n"+
			"all commands that fails closed (no tenant set: no rows); no other permissive policy widens it; every table with a\n"+
			"tenant_id is in the manifest; tenancy_app owns no table and cannot bypass row-level security. Exit 1 on a finding.",
		noArgs, dsnFlag, func([]string) int { return runLint(dsn, stdout, stderr) }, code)
	return group("db", "set up and check the shared database's tenant isolation", bootstrap, lint)
}

func connectDB(what, dsn, flag string, stderr io.Writer) (*tenantdataConn, int) {
	if dsn == "" {
		fmt.Fprintf(stderr, "tenancy: %s is required: %s's URL, postgres://user:password@host:port/db\n", flag, what)
		return nil, exitUsage
	}
	conn, err := tenantdata.Connect(context.Background(), what, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy: %v\n", err)
		return nil, exitRuntime
	}
	return &tenantdataConn{conn, tenantdata.Redact(dsn)}, exitOK
}

func runBootstrap(dsn string, dedicated bool, stdout, stderr io.Writer) int {
	c, code := connectDB("the database", dsn, "--dsn", stderr)
	if code != exitOK {
		return code
	}
	defer c.Close(context.Background())
	m, err := tenantdata.LoadManifest()
	if err != nil {
		fmt.Fprintf(stderr, "tenancy db bootstrap: %v\n", err)
		return exitRuntime
	}
	mode := tenantdata.Shared
	if dedicated {
		mode = tenantdata.Dedicated
	}
	res, err := tenantdata.Bootstrap(context.Background(), c.Conn, mode, m)
	if err != nil {
		fmt.Fprintf(stderr, "tenancy db bootstrap: %s: %v\n", c.name, err)
		return exitRuntime
	}
	fmt.Fprintf(stdout, "%s (%s): %d migrations applied, %d already applied\n", c.name, mode, len(res.Applied), len(res.Already))
	for _, a := range res.Applied {
		fmt.Fprintf(stdout, "  applied %s\n", a)
	}
	for _, s := range res.Isolation {
		fmt.Fprintf(stdout, "  %s\n", s)
	}
	if len(res.Applied) == 0 && len(res.Isolation) == 0 {
		fmt.Fprintln(stdout, "  nothing to change")
	}
	return exitOK
}

func runLint(dsn string, stdout, stderr io.Writer) int {
	c, code := connectDB("the shared database", dsn, "--dsn", stderr)
	if code != exitOK {
		return code
	}
	defer c.Close(context.Background())
	m, err := tenantdata.LoadManifest()
	if err == nil {
		var findings []tenantdata.Finding
		if findings, err = tenantdata.Lint(context.Background(), c.Conn, m); err == nil {
			if len(findings) == 0 {
				fmt.Fprintf(stdout, "%s: %d tenant tables, each with row-level security forced and a policy that fails closed; %s cannot bypass it\n",
					c.name, len(m.Tables), tenantdata.AppRole)
				return exitOK
			}
			fmt.Fprintf(stdout, "%s: %d findings:\n", c.name, len(findings))
			for _, f := range findings {
				fmt.Fprintf(stdout, "  - %s\n", f)
			}
			return exitInvalid
		}
	}
	fmt.Fprintf(stderr, "tenancy db lint: %s: %v\n", c.name, err)
	return exitRuntime
}

// moveFlags are the two databases (and caches) of a move.
type moveFlags struct {
	from, to, redisFrom, redisTo, record string
}

func (f *moveFlags) register(fs *pflag.FlagSet, recordHelp string) {
	fs.StringVar(&f.from, "from", "", "the tenant's dedicated database, postgres://user:password@host:port/db (required)")
	fs.StringVar(&f.to, "to", "", "the shared database (required)")
	fs.StringVar(&f.redisFrom, "redis-from", "", "the tenant's dedicated cache, redis://host:port/db (with --redis-to)")
	fs.StringVar(&f.redisTo, "redis-to", "", "the shared cache: keys go under tenant:{ID}:")
	fs.StringVar(&f.record, "record", "", recordHelp)
}

// open connects the databases and caches a move names.
func (f *moveFlags) open(stderr io.Writer) (*move, int) {
	if (f.redisFrom == "") != (f.redisTo == "") {
		fmt.Fprintln(stderr, "tenancy: give --redis-from and --redis-to together, or neither")
		return nil, exitUsage
	}
	manifest, err := tenantdata.LoadManifest()
	if err != nil {
		fmt.Fprintf(stderr, "tenancy: %v\n", err)
		return nil, exitRuntime
	}
	ded, code := connectDB("the dedicated database", f.from, "--from", stderr)
	if code != exitOK {
		return nil, code
	}
	shared, code := connectDB("the shared database", f.to, "--to", stderr)
	if code != exitOK {
		ded.Close(context.Background())
		return nil, code
	}
	m := &move{conns: tenantdata.Conns{Dedicated: ded.Conn, Shared: shared.Conn, DedicatedName: ded.name, SharedName: shared.name}, manifest: manifest}
	if f.redisFrom != "" {
		if m.dedCache, err = redisClient("the dedicated cache", f.redisFrom); err == nil {
			m.sharedCache, err = redisClient("the shared cache", f.redisTo)
		}
		if err != nil {
			m.close()
			fmt.Fprintf(stderr, "tenancy: %v\n", err)
			return nil, exitRuntime
		}
	}
	return m, exitOK
}

type move struct {
	conns                 tenantdata.Conns
	dedCache, sharedCache *redis.Client
	manifest              *tenantdata.Manifest
}

func (m *move) close() {
	ctx := context.Background()
	for _, c := range []interface{ Close(context.Context) error }{m.conns.Dedicated, m.conns.Shared} {
		if c != nil {
			_ = c.Close(ctx)
		}
	}
	for _, r := range []*redis.Client{m.dedCache, m.sharedCache} {
		if r != nil {
			_ = r.Close()
		}
	}
}

// quietRedis drops go-redis's own log lines: the command reports each
// failure once, with what and where.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

func redisClient(what, url string) (*redis.Client, error) {
	redis.SetLogger(quietRedis{})
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %q is not a redis:// URL: %v", what, tenantdata.Redact(url), err)
	}
	c := redis.NewClient(opts)
	if err := c.Ping(context.Background()).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s at %s cannot be reached: %v (fix: the host and port, and the password)", what, tenantdata.Redact(url), err)
	}
	return c, nil
}

// defaultRecord is where a tenant's record goes unless --record says.
func defaultRecord(tenant, kind string) string {
	return filepath.Join("tenants", "records", tenant+"."+kind+".json")
}

func writeRecord(rec *tenantdata.Record, path string, stdout, stderr io.Writer) int {
	if err := rec.Write(path); err != nil {
		fmt.Fprintf(stderr, "tenancy: the %s of %s ran, but its record was not written: %v\n", rec.Kind, rec.Tenant, err)
		return exitRuntime
	}
	for _, t := range rec.Tables {
		mark := "ok"
		if !t.Match {
			mark = "MISMATCH"
		}
		fmt.Fprintf(stdout, "  %-10s %8d rows  checksum %s  %s\n", t.Name, t.TargetRows, t.TargetChecksum, mark)
	}
	if c := rec.Cache; c != nil {
		fmt.Fprintf(stdout, "  %-10s %8d keys  %d of %d TTLs kept  %s\n", "cache", c.TargetKeys, c.TTLKept, c.WithTTL, map[bool]string{true: "ok", false: "MISMATCH"}[c.Match])
	}
	if !rec.Passed {
		fmt.Fprintf(stderr, "tenancy: %s of %s did not verify (record: %s):\n  %s\n", rec.Kind, rec.Tenant, path, strings.Join(rec.Mismatches(), "\n  "))
		return exitInvalid
	}
	fmt.Fprintf(stdout, "%s of %s verified; record: %s\n", rec.Kind, rec.Tenant, path)
	return exitOK
}

// tenantdataConn is a connection and its name for messages.
type tenantdataConn struct {
	*pgx.Conn
	name string
}
