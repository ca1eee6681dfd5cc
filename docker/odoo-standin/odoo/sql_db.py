"""PostgreSQL connections, with Odoo's connection options."""

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from .tools.config import config


def dsn(dbname):
    params = {"dbname": dbname, "application_name": "odoo"}
    for key, option in (("host", "db_host"), ("port", "db_port"), ("user", "db_user"),
                        ("password", "db_password"), ("sslmode", "db_sslmode")):
        value = config.get(option)
        if value not in (None, "", False):
            params[key] = str(value)
    return params


def connect(dbname, autocommit=False):
    conn = psycopg2.connect(**dsn(dbname))
    conn.autocommit = autocommit
    return conn


def db_exists(dbname):
    with connect("postgres", autocommit=True) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
        return cr.fetchone() is not None


def create_database(dbname):
    conn = connect("postgres", autocommit=True)
    try:
        with conn.cursor() as cr:
            cr.execute(
                sql.SQL("CREATE DATABASE {} ENCODING 'unicode' LC_COLLATE 'C' TEMPLATE {}").format(
                    sql.Identifier(dbname), sql.Identifier(config.get("db_template") or "template0")
                )
            )
    finally:
        conn.close()


def list_databases():
    conn = connect("postgres", autocommit=True)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT datname FROM pg_database WHERE datistemplate = false AND datname "
                       "NOT IN ('postgres', 'template0', 'template1') ORDER BY datname")
            return [row[0] for row in cr.fetchall()]
    finally:
        conn.close()


def table_exists(cr, table):
    cr.execute("SELECT to_regclass(%s)", (table,))
    return cr.fetchone()[0] is not None


def get_param(cr, key, default=None):
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
    row = cr.fetchone()
    return row[0] if row else default


def set_param(cr, key, value):
    cr.execute(
        "INSERT INTO ir_config_parameter (key, value) VALUES (%s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = now() at time zone 'UTC'",
        (key, value),
    )
