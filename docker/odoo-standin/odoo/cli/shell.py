"""`odoo shell -d DB`: runs the Python read from stdin with `env`, `odoo` and `self` in
scope, then commits. (Odoo itself rolls back unless the script calls env.cr.commit();
scripts that call it work the same on both.)"""

import code
import logging
import sys

import odoo

from .. import netsvc, sql_db
from ..api import Environment
from ..modules import loading
from ..modules.db import cursor
from ..tools.config import config

_logger = logging.getLogger("odoo.cli.shell")


def main(args):
    config.parse([a for a in args if not a.startswith("--shell-interface")], prog="odoo shell")
    netsvc.init_logger(config["logfile"], config["log_level"] if config["log_level"] != "info" else "warning", config["log_handler"])
    dbname = config["db_name"].split(",")[0]
    if not dbname:
        _logger.error("shell needs a database: -d DB")
        return 1
    netsvc.set_dbname(dbname)
    loading.addons_paths()
    conn = sql_db.connect(dbname)
    try:
        cr = cursor(conn)
        env = Environment(cr)
        scope = {"env": env, "odoo": odoo, "self": env["res.users"], "cr": cr}
        if sys.stdin.isatty():
            code.interact(local=scope)
        else:
            exec(compile(sys.stdin.read(), "<stdin>", "exec"), scope)
        conn.commit()
    except SystemExit:
        conn.commit()
        raise
    except Exception:
        conn.rollback()
        _logger.exception("shell script failed")
        return 1
    finally:
        conn.close()
    return 0
