"""The stand-in's cursor: counts queries, for Odoo's 'N queries' log lines."""

import psycopg2.extensions

counter = {"queries": 0}


class CountingCursor(psycopg2.extensions.cursor):
    def execute(self, query, vars=None):
        counter["queries"] += 1
        return super().execute(query, vars)

    # Odoo's cursors commit and roll back themselves (env.cr.commit()).
    def commit(self):
        return self.connection.commit()

    def rollback(self):
        return self.connection.rollback()

    @property
    def dbname(self):
        return self.connection.info.dbname


def cursor(conn):
    return conn.cursor(cursor_factory=CountingCursor)
