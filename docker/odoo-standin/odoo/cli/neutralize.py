"""`odoo neutralize -d DB`: runs every installed module's data/neutralize.sql and sets
database.is_neutralized, as Odoo does for copies of production databases."""

import logging
import os

from .. import netsvc, sql_db
from ..modules import loading
from ..tools.config import config

_logger = logging.getLogger("odoo.cli.neutralize")


def main(args):
    stdout = "--stdout" in args
    config.parse([a for a in args if a != "--stdout"], prog="odoo neutralize")
    netsvc.init_logger(config["logfile"], config["log_level"], config["log_handler"])
    dbname = config["db_name"].split(",")[0]
    if not dbname:
        _logger.error("Neutralize command needs a database name. Use `-d` argument")
        return 1
    netsvc.set_dbname(dbname)
    queries = []
    try:
        conn = sql_db.connect(dbname)
    except Exception:
        _logger.critical("Failed to connect to database `%s`.", dbname, exc_info=True)
        return 1
    try:
        with conn.cursor() as cr:
            for module in loading.installed_modules(cr):
                path = loading.module_path(module)
                script = os.path.join(path, "data", "neutralize.sql") if path else None
                if script and os.path.isfile(script):
                    with open(script, encoding="utf-8") as handle:
                        queries.append(handle.read())
            queries.append("INSERT INTO ir_config_parameter (key, value) VALUES ('database.is_neutralized', 'true') "
                           "ON CONFLICT (key) DO UPDATE SET value = 'true';")
            if stdout:
                print("BEGIN;")
                for query in queries:
                    print(query)
                print("COMMIT;")
                return 0
            _logger.info("Starting %s database neutralization", dbname)
            for query in queries:
                cr.execute(query)
        conn.commit()
        _logger.info("Neutralization finished")
    except Exception:
        conn.rollback()
        _logger.critical("An error occurred during the neutralization. THE DATABASE IS NOT NEUTRALIZED!", exc_info=True)
        return 1
    finally:
        conn.close()
    return 0
