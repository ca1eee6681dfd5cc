"""Tables from a module's Python model classes (`odoo.models`, `odoo.fields`). Each model
becomes a table named like Odoo's (`res.partner` -> `res_partner`) with Odoo's magic
columns; a later module may add fields to a model defined earlier (`_inherit`)."""

import re

from psycopg2 import sql

from .. import models
from ..api import table_name

class SchemaError(Exception):
    pass


UNIQUE_RE = re.compile(r"^\s*unique\s*\(([^)]*)\)\s*$", re.IGNORECASE)
CHECK_RE = re.compile(r"^\s*check\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)


def _default_sql(value):
    return sql.SQL(" DEFAULT {}").format(sql.Literal(value)) if value is not None else sql.SQL("")


def create_tables(cr, module, log):
    """Creates or extends the tables of the models the module's Python declared (imported
    before this runs); returns the model names."""
    classes = [cls for cls in models.module_models(module) if cls._auto and not cls._abstract]
    if classes:
        log.info("module %s: creating or updating database tables", module)
    for cls in classes:
        model = cls._model_name()
        table = table_name(model)
        _create_table(cr, module, cls, model, table)
        for field in cls._own_fields.values():
            _add_field(cr, module, model, table, field)
        for name, definition, _message in cls.__dict__.get("_sql_constraints", ()):
            _add_constraint(cr, model, table, name, definition)
    return [cls._model_name() for cls in classes]


def _create_table(cr, module, cls, model, table):
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
        (model, cls._description or model, module),
    )
    if cls._defines():
        cr.execute("SELECT id FROM ir_model WHERE model = %s", (model,))
        row = cr.fetchone()
        # As Odoo: the defining module owns the external id `model_<table>` of its ir.model
        # row, which its security/ir.model.access.csv references as `model_id:id`.
        cr.execute(
            "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) VALUES (%s, %s, 'ir.model', %s, false) "
            "ON CONFLICT (module, name) DO UPDATE SET res_id = EXCLUDED.res_id",
            (module, f"model_{table}", row[0]),
        )


def _add_field(cr, module, model, table, field):
    name = field.name
    if field.type == "many2one" and not field.comodel_name:
        raise SchemaError(f"{model}.{name}: many2one needs a comodel")
    if field.column and field.stored:
        cr.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}{}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(field.column), _default_sql(field.column_default())
            )
        )
        if field.type == "many2one":
            target = table_name(field.comodel_name)
            constraint = f"{table}_{name}_fkey"[:63]
            cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", (constraint,))
            if cr.fetchone() is None:
                cr.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}(id) ON DELETE {}").format(
                        sql.Identifier(table), sql.Identifier(constraint), sql.Identifier(name),
                        sql.Identifier(target), sql.SQL(str(field.ondelete).upper()),
                    )
                )
        if field.index or field.type == "many2one":
            cr.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                    sql.Identifier(f"{table}__{name}_index"[:63]), sql.Identifier(table), sql.Identifier(name)
                )
            )
    cr.execute(
        "INSERT INTO ir_model_fields (model, name, ttype, relation, module) VALUES (%s, %s, %s, %s, %s) "
        "ON CONFLICT (model, name) DO UPDATE SET ttype = EXCLUDED.ttype",
        (model, name, field.type, getattr(field, "comodel_name", None), module),
    )


def _add_constraint(cr, model, table, name, definition):
    """`_sql_constraints`: `unique(a, b)` and `check(...)` become table constraints named
    `<table>_<name>`, as Odoo adds them. A relation of that name already there (a constraint,
    or the unique index older stand-ins made) is kept."""
    conname = f"{table}_{name}"[:63]
    unique = UNIQUE_RE.match(definition)
    check = CHECK_RE.match(definition)
    if unique:
        columns = [c.strip() for c in unique.group(1).split(",") if c.strip()]
        body = sql.SQL("UNIQUE ({})").format(sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    elif check:
        # The check's text is the module's own SQL, run as Odoo runs it: as written.
        body = sql.SQL("CHECK ({})").format(sql.SQL(check.group(1)))
    else:
        raise SchemaError(f"{model}: constraint {name}: only unique(...) and check(...) are supported, not {definition!r}")
    cr.execute(
        "SELECT 1 FROM pg_constraint WHERE conname = %s UNION ALL "
        "SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'i'",
        (conname, conname),
    )
    if cr.fetchone() is None:
        cr.execute(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(sql.Identifier(table), sql.Identifier(conname), body))


def model_fields(cr, model):
    cr.execute("SELECT name, ttype, relation FROM ir_model_fields WHERE model = %s", (model,))
    return {name: (ttype, relation) for name, ttype, relation in cr.fetchall()}
