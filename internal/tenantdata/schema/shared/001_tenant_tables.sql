-- The tenant tables on the shared database: tenant_id on every row, in
-- every primary key, and first in every index that serves tenant queries.
-- A tenant id is the registry's slug; an empty one can never match a context.
CREATE TABLE users (
    tenant_id  text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    id         bigint      NOT NULL,
    email      text        NOT NULL,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);

CREATE TABLE products (
    tenant_id   text   NOT NULL CHECK (tenant_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    id          bigint NOT NULL,
    sku         text   NOT NULL,
    name        text   NOT NULL,
    price_cents bigint NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, sku)
);

CREATE TABLE orders (
    tenant_id   text        NOT NULL CHECK (tenant_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    id          bigint      NOT NULL,
    user_id     bigint      NOT NULL,
    placed_at   timestamptz NOT NULL,
    total_cents bigint      NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX orders_by_user ON orders (tenant_id, user_id);

CREATE TABLE payments (
    tenant_id    text   NOT NULL CHECK (tenant_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    id           bigint NOT NULL,
    order_id     bigint NOT NULL,
    amount_cents bigint NOT NULL,
    status       text   NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX payments_by_order ON payments (tenant_id, order_id);
