"""The stand-in's cursor: counts queries, for Odoo's 'N queries' log lines."""

import psycopg2.extensions

counter = {"queries": 0}


class CountingCursor(psycopg2.extensions.cursor):
    def execute(self, query, vars=None):
        counter["queries"] += 1
        return super().execute(query, vars)


def cursor(conn):
    return conn.cursor(cursor_factory=CountingCursor)
