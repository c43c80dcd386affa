-- A dedicated tenant's database: the same tables, one tenant, no tenant_id.
CREATE TABLE users (
    id         bigint      PRIMARY KEY,
    email      text        NOT NULL UNIQUE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE products (
    id          bigint PRIMARY KEY,
    sku         text   NOT NULL UNIQUE,
    name        text   NOT NULL,
    price_cents bigint NOT NULL
);

CREATE TABLE orders (
    id          bigint      PRIMARY KEY,
    user_id     bigint      NOT NULL REFERENCES users (id),
    placed_at   timestamptz NOT NULL,
    total_cents bigint      NOT NULL
);
CREATE INDEX orders_by_user ON orders (user_id);

CREATE TABLE payments (
    id           bigint PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES orders (id),
    amount_cents bigint NOT NULL,
    status       text   NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id);
