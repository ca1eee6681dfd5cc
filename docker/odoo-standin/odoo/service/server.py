"""The `odoo` server command: preload the database (install/update/tests), then serve
HTTP until SIGTERM/SIGINT, or stop after init."""

import importlib
import logging
import os
import signal
import sys
import threading

from .. import release
from ..modules import loading
from ..tests.loader import Runner
from ..tools.config import config
from . import http

_logger = logging.getLogger("odoo.service.server")
_odoo = logging.getLogger("odoo")


def preload_registries(dbnames):
    """Odoo's preload: returns 0, the failed-test count (rc 1), or -1 when a database
    failed to initialize."""
    rc = 0
    for dbname in dbnames:
        from .. import netsvc
        netsvc.set_dbname(dbname)
        try:
            failed = loading.load_modules(dbname, Runner())
            if failed:
                rc += 1
        except Exception:
            _logger.critical("Failed to initialize database `%s`.", dbname, exc_info=True)
            return -1
    return rc


def load_server_wide_modules():
    """Imports each `--load` module from the addons paths, as Odoo does before serving: its
    controllers answer for every database, whether or not it is installed in one. `rpc` is the
    stand-in's own HTTP service."""
    loading.addons_paths()
    for name in config.modules_list("server_wide_modules"):
        # `rpc` is a module after 18.0 only: asked for on 18.0 or before, it fails as in Odoo.
        if name in ("base", "web") or (name == "rpc" and release.series_tuple >= (18, 1)):
            continue
        try:
            importlib.import_module(f"odoo.addons.{name}")
        except Exception:
            _odoo.exception("Failed to load server-wide module `%s`.", name)


def start(preload):
    _odoo.info("Odoo version %s", release.version)
    if config["config"]:
        _odoo.info("Using configuration file at %s", config["config"])
    _odoo.info("addons paths: %s", [loading.STANDARD_ADDONS] + config.addons_paths())
    _odoo.info("database: %s@%s:%s", config["db_user"] or "default", config["db_host"] or "default", config["db_port"] or "default")
    stop_event = threading.Event()

    def on_signal(signum, _frame):
        if stop_event.is_set():
            os._exit(1)
        stop_event.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server = None
    load_server_wide_modules()
    if not config["stop_after_init"] and config["http_enable"]:
        server = http.make_server(config["http_interface"], int(config["http_port"]))
        _logger.info("HTTP service (werkzeug) running on %s:%s", config["http_interface"] or "0.0.0.0", config["http_port"])
        threading.Thread(target=server.serve_forever, name="odoo.service.httpd", daemon=True).start()
    rc = preload_registries(preload) if preload else 0
    if not config["stop_after_init"]:
        if rc < 0:
            _logger.warning("the database failed to load; serving anyway")
        from .. import netsvc
        netsvc.set_dbname("?")
        stop_event.wait()
    _logger.info("Initiating shutdown")
    _logger.info("Hit CTRL-C again or send a second signal to force the shutdown.")
    if server is not None:
        server.shutdown()
        server.server_close()
    logging.shutdown()
    return rc & 0xFF if rc < 0 else rc


def main(args):
    config.parse(args)
    from .. import netsvc
    netsvc.init_logger(config["logfile"], config["log_level"], config["log_handler"])
    preload = [d for d in config["db_name"].split(",") if d] if config["db_name"] else []
    if (config["init"] or config["update"]) and not preload:
        _logger.error("no database given (-d) for -i/-u")
        return 1
    sys.exit(start(preload))
