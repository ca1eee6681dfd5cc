"""Log lines in Odoo's format and password hashes in passlib's format."""

import io
import logging
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from odoo import netsvc  # noqa: E402
from odoo.tools import passwords  # noqa: E402
from odoo.tools.config import Config  # noqa: E402

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (\d+) (INFO|WARNING|ERROR) (\S+) ([\w.]+): (.*)$")


class TestLogFormat(unittest.TestCase):
    def test_line_format(self):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(netsvc.DBFormatter(netsvc.FORMAT))
        logger = logging.getLogger("odoo.modules.loading.fmt_test")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        netsvc.set_dbname("mydb", thread_only=True)
        logger.info("loading %d modules...", 3)
        netsvc.set_dbname(None, thread_only=True)
        logger.warning("no db")
        first, second = stream.getvalue().splitlines()
        match = LINE.match(first)
        self.assertIsNotNone(match, first)
        self.assertEqual(match.group(1), str(os.getpid()))
        self.assertEqual(match.group(3), "mydb")
        self.assertEqual(match.group(4), "odoo.modules.loading.fmt_test")
        self.assertEqual(match.group(5), "loading 3 modules...")
        self.assertEqual(LINE.match(second).group(3), "?")


class TestPasswords(unittest.TestCase):
    def test_hash_and_verify(self):
        stored = passwords.hash_password("admin", rounds=1000)
        self.assertTrue(stored.startswith("$pbkdf2-sha256$1000$"))
        self.assertTrue(passwords.verify_password("admin", stored))
        self.assertFalse(passwords.verify_password("wrong", stored))
        self.assertFalse(passwords.verify_password("admin", "admin"))

    def test_passlib_vector(self):
        # passlib.hash.pbkdf2_sha256.hash("password", rounds=1000, salt=b"salt")
        salt = b"salt"
        stored = passwords.hash_password("password", rounds=1000, salt=salt)
        self.assertEqual(stored.split("$")[3], "c2FsdA")
        self.assertTrue(passwords.verify_password("password", stored))


class TestOptions(unittest.TestCase):
    def test_options(self):
        cfg = Config().parse(["-d", "db", "--db_port", "5433", "-i", "a,b", "--without-demo=all",
                              "--test-tags", "/a", "--stop-after-init", "--http-port", "9000"])
        self.assertEqual(cfg["db_name"], "db")
        self.assertEqual(cfg["db_port"], 5433)
        self.assertEqual(cfg.modules_list("init"), ["a", "b"])
        self.assertFalse(cfg.demo_enabled())
        self.assertTrue(cfg["test_enable"])
        self.assertTrue(cfg["stop_after_init"])
        self.assertEqual(cfg["http_port"], 9000)

    def test_unknown_option_fails(self):
        with self.assertRaises(SystemExit):
            Config().parse(["--no-such-option"])


if __name__ == "__main__":
    unittest.main()
