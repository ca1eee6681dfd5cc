"""Logging in Odoo's exact format:
`YYYY-MM-DD HH:MM:SS,mmm PID LEVEL DBNAME LOGGER: message`."""

import logging
import os
import sys
import threading

FORMAT = "%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s"

_state = threading.local()
_default_db = {"name": "?"}


def set_dbname(name, thread_only=False):
    """The database name shown on log lines ('?' when none), per thread like Odoo."""
    if thread_only:
        _state.dbname = name or "?"
    else:
        _default_db["name"] = name or "?"


class DBFormatter(logging.Formatter):
    def format(self, record):
        record.pid = os.getpid()
        record.dbname = getattr(_state, "dbname", None) or _default_db["name"]
        return super().format(record)


LEVELS = {
    "debug": logging.DEBUG,
    "debug_sql": logging.DEBUG,
    "debug_rpc": logging.DEBUG,
    "debug_rpc_answer": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "notset": logging.INFO,
}


def init_logger(logfile=None, log_level="info", log_handlers=()):
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    if logfile:
        directory = os.path.dirname(logfile)
        if directory:
            os.makedirs(directory, exist_ok=True)
        handler = logging.FileHandler(logfile)
    else:
        handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(DBFormatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(LEVELS.get(str(log_level).lower(), logging.INFO))
    # --log-handler PREFIX:LEVEL, e.g. odoo.tests:DEBUG or :WARNING for the root.
    for spec in log_handlers:
        if ":" not in spec:
            continue
        prefix, level = spec.rsplit(":", 1)
        logger = logging.getLogger(prefix) if prefix else root
        logger.setLevel(LEVELS.get(level.lower(), logging.INFO))
    return handler
