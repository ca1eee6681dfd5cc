"""`odoo.modules.registry.Registry(dbname).cursor()`: a cursor on the database that commits
when its block ends without error and rolls back otherwise, as Odoo's registry cursor does."""

import contextlib

from ..sql_db import connect
from .db import cursor as counting_cursor


class Registry:
    def __init__(self, dbname):
        self.db_name = dbname

    @contextlib.contextmanager
    def cursor(self):
        conn = connect(self.db_name)
        try:
            cr = counting_cursor(conn)
            yield cr
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()
