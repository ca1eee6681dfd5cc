"""Tables from a module's `models.json`: the stand-in's declarative replacement for
Odoo's Python model classes. Each model becomes a table named like Odoo's
(`res.partner` -> `res_partner`) with Odoo's magic columns; a later module may add
fields to a model defined earlier (like `_inherit`)."""

import json
import os

from psycopg2 import sql

from ..api import table_name

TYPES = {
    "char": "varchar",
    "text": "text",
    "html": "text",
    "selection": "varchar",
    "integer": "integer",
    "float": "double precision",
    "monetary": "numeric",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp without time zone",
    "binary": "bytea",
    "json": "jsonb",
    "many2one": "integer",
}


class SchemaError(Exception):
    pass


def read_models(module_path):
    path = os.path.join(module_path, "models.json")
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as handle:
        try:
            models = json.load(handle)
        except json.JSONDecodeError as exc:
            raise SchemaError(f"{path}: {exc}") from None
    if not isinstance(models, dict):
        raise SchemaError(f"{path}: must be an object of models")
    return models


def normalize_field(model, name, spec):
    if isinstance(spec, str):
        kind, _, relation = spec.partition(":")
        spec = {"type": kind}
        if relation:
            spec["relation"] = relation
    if not isinstance(spec, dict) or spec.get("type") not in TYPES:
        raise SchemaError(f"{model}.{name}: unknown field type {spec!r}")
    if spec["type"] == "many2one" and not spec.get("relation"):
        raise SchemaError(f"{model}.{name}: many2one needs a relation")
    return spec


def _default_sql(value):
    return sql.SQL(" DEFAULT {}").format(sql.Literal(value)) if value is not None else sql.SQL("")


def create_tables(cr, module, module_path, log):
    """Creates or extends the tables of the module's models; returns the model names."""
    models = read_models(module_path)
    if models:
        log.info("module %s: creating or updating database tables", module)
    for model, definition in models.items():
        table = table_name(model)
        fields = (definition or {}).get("fields", {})
        cr.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (id serial PRIMARY KEY, "
                "create_uid integer, create_date timestamp without time zone DEFAULT (now() at time zone 'UTC'), "
                "write_uid integer, write_date timestamp without time zone DEFAULT (now() at time zone 'UTC'))"
            ).format(sql.Identifier(table))
        )
        cr.execute(
            "INSERT INTO ir_model (model, name, modules) VALUES (%s, %s, %s) "
            "ON CONFLICT (model) DO UPDATE SET modules = ir_model.modules || ', ' || EXCLUDED.modules "
            "WHERE NOT (ir_model.modules LIKE '%%' || EXCLUDED.modules || '%%')",
            (model, definition.get("description") or model, module),
        )
        for name, raw in fields.items():
            spec = normalize_field(model, name, raw)
            column_type = sql.SQL(TYPES[spec["type"]])
            cr.execute(
                sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}{}").format(
                    sql.Identifier(table), sql.Identifier(name), column_type, _default_sql(spec.get("default"))
                )
            )
            if spec["type"] == "many2one":
                target = table_name(spec["relation"])
                constraint = f"{table}_{name}_fkey"[:63]
                cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", (constraint,))
                if cr.fetchone() is None:
                    cr.execute(
                        sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}(id) ON DELETE {}").format(
                            sql.Identifier(table), sql.Identifier(constraint), sql.Identifier(name),
                            sql.Identifier(target), sql.SQL(spec.get("ondelete", "set null").upper()),
                        )
                    )
            if spec.get("index") or spec["type"] == "many2one":
                cr.execute(
                    sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                        sql.Identifier(f"{table}__{name}_index"[:63]), sql.Identifier(table), sql.Identifier(name)
                    )
                )
            if spec.get("unique"):
                cr.execute(
                    sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} ({})").format(
                        sql.Identifier(f"{table}_{name}_uniq"[:63]), sql.Identifier(table), sql.Identifier(name)
                    )
                )
            cr.execute(
                "INSERT INTO ir_model_fields (model, name, ttype, relation, module) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (model, name) DO UPDATE SET ttype = EXCLUDED.ttype",
                (model, name, spec["type"], spec.get("relation"), module),
            )
    return list(models)


def model_fields(cr, model):
    cr.execute("SELECT name, ttype, relation FROM ir_model_fields WHERE model = %s", (model,))
    return {name: (ttype, relation) for name, ttype, relation in cr.fetchall()}
