-- Origins (scheme://host[:port], or *) whose pages may call the feeding API with an
-- application's keys from a browser (CORS). See crates/server/src/flow.rs.
CREATE TABLE app_origins (
    app_id TEXT NOT NULL REFERENCES applications(id),
    origin TEXT NOT NULL,
    PRIMARY KEY (app_id, origin)
);
CREATE INDEX app_origins_origin ON app_origins(origin);
