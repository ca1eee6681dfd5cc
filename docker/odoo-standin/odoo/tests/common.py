"""Test base classes with Odoo's names. Classes get the tags {'standard', 'at_install'}
and `test_module` (from `odoo.addons.<module>.…`) unless `tagged` says otherwise."""

import inspect
import logging
import unittest
import urllib.request

from .. import sql_db
from ..api import Environment
from ..modules.db import cursor
from ..tools.config import config

_logger = logging.getLogger(__name__)

# The database under test; set by the runner before it runs a suite.
current = {"dbname": None}


def get_db_name():
    return current["dbname"] or config["db_name"].split(",")[0]


class MetaCase(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        if cls.__module__.startswith("odoo.addons."):
            parts = cls.__module__.split(".")
            if "test_module" not in attrs:
                cls.test_module = parts[2]
            if "test_sequence" not in attrs:
                cls.test_sequence = 0
            cls.test_file = inspect.getfile(cls) if not cls.__module__.startswith("odoo.addons.__") else None
        if "test_tags" not in attrs and not hasattr(cls, "test_tags"):
            cls.test_tags = {"standard", "at_install"}


class BaseCase(unittest.TestCase, metaclass=MetaCase):
    """Base of every Odoo test; only its subclasses are collected by the runner."""

    test_tags = {"standard", "at_install"}
    test_module = None

    def __str__(self):
        return f"{self.__class__.__name__}.{self._testMethodName}"


class TransactionCase(BaseCase):
    """Each test runs on a real cursor of the database under test (`self.env.cr`),
    inside a savepoint rolled back after the test; the class's transaction is rolled
    back at the end, so tests never leave data behind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._conn = sql_db.connect(get_db_name())
        cls.cr = cursor(cls._conn)
        cls.env = Environment(cls.cr)
        cls.registry = None

    @classmethod
    def tearDownClass(cls):
        try:
            cls._conn.rollback()
            cls._conn.close()
        finally:
            super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.cr.execute("SAVEPOINT test_case")
        self.addCleanup(self.cr.execute, "ROLLBACK TO SAVEPOINT test_case")


class SingleTransactionCase(TransactionCase):
    """All the tests of the class share one transaction, rolled back at the end."""

    def setUp(self):
        unittest.TestCase.setUp(self)


class HttpCase(TransactionCase):
    """A TransactionCase that can also open URLs on the running server."""

    def base_url(self):
        return f"http://127.0.0.1:{config['http_port']}"

    def url_open(self, url, data=None, timeout=10):
        if url.startswith("/"):
            url = self.base_url() + url
        return urllib.request.urlopen(url, data=data, timeout=timeout)


def tagged(*tags):
    """Adds (or with '-', removes) tags; like Odoo it warns when a class ends up being
    neither or both at_install and post_install."""
    include = {t for t in tags if not t.startswith("-")}
    exclude = {t[1:] for t in tags if t.startswith("-")}

    def decorator(obj):
        obj.test_tags = (set(getattr(obj, "test_tags", set())) | include) - exclude
        at_install = "at_install" in obj.test_tags
        post_install = "post_install" in obj.test_tags
        if not (at_install ^ post_install):
            _logger.warning("A tests should be either at_install or post_install, which is not the case of %r", obj)
        return obj

    return decorator


def users(*logins):
    """Kept for compatibility: runs the test once (the stand-in has no access rights)."""
    def decorator(func):
        return func
    return decorator
