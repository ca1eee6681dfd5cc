"""Finding and running a module's tests, as odoo.tests.loader does: the `test_*`
submodules imported by `tests/__init__.py`, classes deriving from BaseCase only,
selected by phase (at_install / post_install) and by --test-tags."""

import importlib
import inspect
import logging
import time
import unittest

from ..modules.db import counter
from ..tools.config import config
from . import common
from .common import BaseCase
from .result import OdooTestResult
from .tag_selector import TagsSelector

_server_logger = logging.getLogger("odoo.service.server")
_logger = logging.getLogger("odoo.modules.module")


def get_test_modules(module):
    try:
        tests = importlib.import_module(f"odoo.addons.{module}.tests")
    except ModuleNotFoundError as exc:
        if exc.name == f"odoo.addons.{module}.tests":
            return []
        raise
    return [m for name, m in inspect.getmembers(tests, inspect.ismodule) if name.startswith("test_")]


def _iter_tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _iter_tests(item)
        else:
            yield item


def make_suite(modules, phase):
    spec = config["test_tags"] or "+standard"
    selector = TagsSelector(spec)
    position = TagsSelector(phase)
    loader = unittest.TestLoader()
    tests = []
    for module in modules:
        for test_module in get_test_modules(module):
            for test in _iter_tests(loader.loadTestsFromModule(test_module)):
                if isinstance(test, BaseCase) and position.check(test) and selector.check(test):
                    tests.append(test)
    tests.sort(key=lambda t: getattr(t, "test_sequence", 0))
    return unittest.TestSuite(tests)


class Runner:
    def new_report(self, dbname):
        return OdooTestResult(dbname)

    def run_suite(self, suite, report, dbname):
        common.current["dbname"] = dbname
        result = OdooTestResult(dbname)
        suite.run(result)
        report.update(result)
        return result

    def run_module_tests(self, report, module, phase, _conn):
        try:
            suite = make_suite([module], phase)
        except Exception as exc:
            _logger.exception("Can not `import %s`.", f"odoo.addons.{module}.tests")
            report.errors.append((module, str(exc)))
            return
        if suite.countTestCases():
            t0, q0 = time.time(), counter["queries"]
            _logger.info("odoo.addons.%s.tests running tests.", module)
            self.run_suite(suite, report, report.dbname)
            logging.getLogger("odoo.modules.loading").info(
                "Module %s: executing %s `at_install` tests in %.2fs, %s queries",
                module, suite.countTestCases(), time.time() - t0, counter["queries"] - q0)

    def run_post_install(self, report, modules, _conn):
        t0, q0 = time.time(), counter["queries"]
        _server_logger.info("Starting post tests")
        before = report.testsRun
        try:
            suite = make_suite(modules, "post_install")
        except Exception as exc:
            _logger.exception("Can not import post_install tests")
            report.errors.append(("post_install", str(exc)))
            return
        self.run_suite(suite, report, report.dbname)
        _server_logger.info("%d post-tests in %.2fs, %s queries", report.testsRun - before, time.time() - t0, counter["queries"] - q0)
