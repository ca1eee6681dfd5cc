-- Bootstrap of a new database (Odoo's base_data.sql): the registry's own tables.
CREATE TABLE ir_module_module (
    id serial PRIMARY KEY,
    name varchar NOT NULL UNIQUE,
    state varchar NOT NULL DEFAULT 'uninstalled',
    latest_version varchar,
    demo boolean DEFAULT false,
    shortdesc varchar,
    author varchar,
    license varchar,
    application boolean DEFAULT false,
    auto_install boolean DEFAULT false,
    create_date timestamp without time zone DEFAULT (now() at time zone 'UTC'),
    write_date timestamp without time zone DEFAULT (now() at time zone 'UTC')
);
CREATE TABLE ir_model_data (
    id serial PRIMARY KEY,
    module varchar NOT NULL,
    name varchar NOT NULL,
    model varchar NOT NULL,
    res_id integer,
    noupdate boolean DEFAULT false,
    create_date timestamp without time zone DEFAULT (now() at time zone 'UTC'),
    write_date timestamp without time zone DEFAULT (now() at time zone 'UTC'),
    UNIQUE (module, name)
);
CREATE INDEX ir_model_data_model_res_id_index ON ir_model_data (model, res_id);
CREATE TABLE ir_model (
    id serial PRIMARY KEY,
    model varchar NOT NULL UNIQUE,
    name varchar,
    modules varchar
);
CREATE TABLE ir_model_fields (
    id serial PRIMARY KEY,
    model varchar NOT NULL,
    name varchar NOT NULL,
    ttype varchar NOT NULL,
    relation varchar,
    module varchar,
    UNIQUE (model, name)
);
CREATE TABLE ir_config_parameter (
    id serial PRIMARY KEY,
    key varchar NOT NULL UNIQUE,
    value text NOT NULL,
    create_date timestamp without time zone DEFAULT (now() at time zone 'UTC'),
    write_date timestamp without time zone DEFAULT (now() at time zone 'UTC')
);
