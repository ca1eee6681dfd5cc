"""Loading a module's data files (manifest `data` and `demo`), like Odoo's convert:
- `model.name.csv`: one record per row; `id` is the external id; `field:id` / `field/id`
  columns reference other records by external id (Odoo's CSV import syntax);
- `*.xml`: `<odoo><record id model><field name ref|eval>value</field></record></odoo>`,
  `<field name type="base64" file="module/path"/>` (the file's content), and `<function
  model name/>` for the methods `records.FUNCTIONS` implements;
- `*.sql`: executed as is;
- `*.gen.json`: generated records, `{"model", "count", "values"}` - how the standard
  modules reach realistic volumes (count is multiplied by --standin-data-scale).
Records are written one by one with their external id, like the ORM does."""

import base64
import csv
import json
import logging
import os
import xml.etree.ElementTree as ET

from psycopg2 import sql

from ..api import table_name
from . import records

_logger = logging.getLogger("odoo.modules.loading")


class DataError(Exception):
    pass


def resolve_xmlid(cr, module, ref):
    full = ref if "." in ref else f"{module}.{ref}"
    mod, name = full.split(".", 1)
    cr.execute("SELECT res_id FROM ir_model_data WHERE module = %s AND name = %s", (mod, name))
    row = cr.fetchone()
    if row is None:
        raise DataError(f"External ID not found in the system: {full}")
    return row[0]


def write_record(ctx, model, xmlid, values):
    """Creates or updates the record with this external id; returns its id."""
    cr, module = ctx.cr, ctx.module
    values = records.prepare(ctx, model, values)
    table = table_name(model)
    res_id = None
    if xmlid:
        mod, name = (xmlid.split(".", 1) if "." in xmlid else (module, xmlid))
        cr.execute("SELECT res_id, noupdate FROM ir_model_data WHERE module = %s AND name = %s", (mod, name))
        row = cr.fetchone()
        if row:
            res_id, noupdate = row
            if noupdate and ctx.mode == "update":
                return res_id
    columns = list(values)
    if res_id is not None and columns:
        cr.execute(
            sql.SQL("UPDATE {} SET {}, write_date = now() at time zone 'UTC' WHERE id = %s").format(
                sql.Identifier(table),
                sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(c)) for c in columns),
            ),
            [values[c] for c in columns] + [res_id],
        )
        if cr.rowcount:
            return res_id
    if columns:
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
            sql.Identifier(table),
            sql.SQL(", ").join(sql.Identifier(c) for c in columns),
            sql.SQL(", ").join(sql.Placeholder() for _ in columns),
        )
        cr.execute(query, [values[c] for c in columns])
    else:
        cr.execute(sql.SQL("INSERT INTO {} DEFAULT VALUES RETURNING id").format(sql.Identifier(table)))
    res_id = cr.fetchone()[0]
    if xmlid:
        cr.execute(
            "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (module, name) DO UPDATE SET res_id = EXCLUDED.res_id, model = EXCLUDED.model",
            (mod, name, model, res_id, ctx.noupdate),
        )
    records.after_create(ctx, model, res_id, values)
    return res_id


def _convert_value(ctx, field, value, fields):
    if value == "":
        return None
    ttype = fields.get(field, ("char", None))[0]
    if ttype == "boolean":
        return str(value).strip().lower() in ("1", "true", "yes", "t")
    if ttype == "integer":
        return int(value)
    if ttype in ("float", "monetary"):
        return float(value)
    return value


def load_csv(ctx, path):
    model = os.path.basename(path)[: -len(".csv")]
    fields = ctx.fields(model)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            xmlid = row.pop("id", None) or None
            values = {}
            for column, value in row.items():
                if column is None:
                    raise DataError(f"{path}: a row has more cells than the header")
                if column.endswith(":id") or column.endswith("/id"):
                    field = column[:-3]
                    values[field] = resolve_xmlid(ctx.cr, ctx.module, value) if value else None
                else:
                    values[column] = _convert_value(ctx, column, value, fields)
            write_record(ctx, model, xmlid, values)


def load_xml(ctx, path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise DataError(f"{path}: {exc}") from None
    for data in [root] + root.findall("data"):
        noupdate = data.get("noupdate") in ("1", "True", "true")
        previous, ctx.noupdate = ctx.noupdate, noupdate or ctx.noupdate
        for record in data:
            if record.tag == "function":
                records.call_function(ctx, record.get("model"), record.get("name"))
                continue
            if record.tag != "record":
                continue
            model = record.get("model")
            fields = ctx.fields(model)
            values = {}
            for field in record.findall("field"):
                name = field.get("name")
                if field.get("file"):
                    values[name] = _file_value(ctx, field)
                elif field.get("ref"):
                    values[name] = resolve_xmlid(ctx.cr, ctx.module, field.get("ref"))
                elif field.get("eval") is not None:
                    values[name] = {"True": True, "False": False, "None": None}.get(field.get("eval"), field.get("eval"))
                else:
                    values[name] = _convert_value(ctx, name, field.text or "", fields)
            write_record(ctx, model, record.get("id"), values)
        ctx.noupdate = previous


def _file_value(ctx, field):
    """`file="module/path"`: a file of the module itself (never outside it); base64 when
    `type="base64"`, as Odoo's convert reads it."""
    module, _, relpath = field.get("file").partition("/")
    root = os.path.realpath(ctx.module_path)
    path = os.path.realpath(os.path.join(root, relpath))
    if module != ctx.module or not path.startswith(root + os.sep):
        raise DataError(f"module {ctx.module}: file {field.get('file')!r} is not one of its own files")
    with open(path, "rb") as handle:
        content = handle.read()
    if field.get("type") == "base64":
        return base64.b64encode(content).decode()
    return content.decode("utf-8")


def load_sql(ctx, path):
    with open(path, encoding="utf-8") as handle:
        ctx.cr.execute(handle.read())


def load_generated(ctx, path):
    """Generated records: each value is a template formatted with n (1..count), a list
    cycled through, or "@model" for the ids of an existing model's records, cycled."""
    with open(path, encoding="utf-8") as handle:
        spec = json.load(handle)
    model = spec["model"]
    count = max(1, int(round(int(spec["count"]) * float(ctx.scale))))
    refs = {}
    for field, template in spec.get("values", {}).items():
        if isinstance(template, str) and template.startswith("@"):
            ctx.cr.execute(sql.SQL("SELECT id FROM {} ORDER BY id").format(sql.Identifier(table_name(template[1:]))))
            refs[field] = [r[0] for r in ctx.cr.fetchall()] or [None]
    prefix = spec.get("xmlid_prefix", table_name(model))
    for n in range(1, count + 1):
        values = {}
        for field, template in spec.get("values", {}).items():
            if field in refs:
                values[field] = refs[field][n % len(refs[field])]
            elif isinstance(template, list):
                values[field] = template[n % len(template)]
            elif isinstance(template, str):
                values[field] = template.format(n=n, m=n % 97, k=n % 13)
            else:
                values[field] = template
        write_record(ctx, model, f"{prefix}_{n}", values)


def load_file(ctx, relpath):
    path = os.path.join(ctx.module_path, relpath)
    if not os.path.isfile(path):
        raise DataError(f"module {ctx.module}: data file {relpath} not found")
    _logger.info("loading %s/%s", ctx.module, relpath)
    if relpath.endswith(".gen.json"):
        load_generated(ctx, path)
    elif relpath.endswith(".csv"):
        load_csv(ctx, path)
    elif relpath.endswith(".xml"):
        load_xml(ctx, path)
    elif relpath.endswith(".sql"):
        load_sql(ctx, path)
    else:
        raise DataError(f"module {ctx.module}: can't load unknown file type {relpath}")
