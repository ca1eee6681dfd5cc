"""Test results logged like Odoo's OdooTestResult: `Starting X.y ...` per test,
`FAIL: X.y` / `ERROR: X.y` with the traceback on the test module's logger, and the
totals on `odoo.tests.result`."""

import logging
import time
import unittest

_logger = logging.getLogger("odoo.tests.result")


def _description(test):
    return f"{test.__class__.__name__}.{test._testMethodName}" if hasattr(test, "_testMethodName") else str(test)


def _logger_for(test):
    return logging.getLogger(test.__class__.__module__ if hasattr(test, "_testMethodName") else "odoo.tests")


class OdooTestResult(unittest.result.TestResult):
    def __init__(self, dbname=None):
        super().__init__()
        self.dbname = dbname
        self.time_start = time.time()

    def startTest(self, test):
        super().startTest(test)
        _logger_for(test).info("Starting %s ...", _description(test))

    def _log_error(self, flavour, test, err):
        text = self._exc_info_to_string(err, test).rstrip("\n")
        _logger_for(test).error("%s: %s\n%s", flavour, _description(test), text)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._log_error("FAIL", test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._log_error("ERROR", test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            flavour = "FAIL" if issubclass(err[0], test.failureException) else "ERROR"
            self._log_error(flavour, test, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        _logger_for(test).info("skipped %s: %s", _description(test), reason)

    def update(self, other):
        self.failures.extend(other.failures)
        self.errors.extend(other.errors)
        self.skipped.extend(other.skipped)
        self.testsRun += other.testsRun

    def log_stats(self):
        if not self.wasSuccessful():
            _logger.error("%s failed, %s error(s) of %s tests when loading database %r",
                          len(self.failures), len(self.errors), self.testsRun, self.dbname)
        else:
            _logger.info("0 failed, 0 error(s) of %s tests when loading database %r", self.testsRun, self.dbname)
