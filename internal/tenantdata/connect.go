package tenantdata

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Connect opens what (e.g. "the dedicated database") at dsn, with an error
// that names it, where it is (its URL without the password) and the likely
// fix.
func Connect(ctx context.Context, what, dsn string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err == nil {
		return conn, nil
	}
	where := Redact(dsn)
	var pgErr *pgconn.PgError
	var netErr net.Error
	var connectErr *pgconn.ConnectError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "28P01":
		return nil, fmt.Errorf("%s at %s refused the password for its user (fix: the password in the URL)", what, where)
	case errors.As(err, &pgErr) && pgErr.Code == "3D000":
		return nil, fmt.Errorf("%s at %s: %s (fix: the database name in the URL's path)", what, where, pgErr.Message)
	case errors.As(err, &netErr), errors.As(err, &connectErr) && isDial(connectErr):
		return nil, fmt.Errorf("%s at %s cannot be reached: %v (fix: the host and port, and that it is running)", what, where, errors.Unwrap(err))
	}
	return nil, fmt.Errorf("%s at %s: %w", what, where, err)
}

func isDial(e *pgconn.ConnectError) bool {
	var op *net.OpError
	return errors.As(e, &op)
}
