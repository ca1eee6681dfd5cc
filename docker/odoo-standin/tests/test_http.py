"""odoo.http as addons use it: controllers found by route and method, sessions finalized as
Odoo 16-18 do, redirects kept local; and the config file's unknown keys kept, as Odoo keeps them."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from odoo import http  # noqa: E402
from odoo.tools.config import read_config_file  # noqa: E402


class FakeCursor:
    dbname = "db1"

    def __init__(self):
        self.rows = []

    def execute(self, query, params=None):
        self.rows = [("secret",)] if "ir_config_parameter" in query else [(7, "demo", "hash")]

    def fetchone(self):
        return self.rows[0] if self.rows else None


class FakeEnv:
    cr = FakeCursor()


class Probe(http.Controller):
    @http.route("/probe/hello", type="http", auth="none", methods=["GET"])
    def hello(self, name="world", **kwargs):
        return "hello %s from %s" % (name, http.request.db)

    @http.route("/probe/login", type="http", auth="none")
    def login(self, **kwargs):
        http.request.session.pre_login = "demo"
        http.request.session.pre_uid = 7
        http.request.session.finalize(FakeEnv())
        return http.request.redirect("http://elsewhere.example/web")


class TestHttp(unittest.TestCase):
    def request(self, path, params=None, session=None):
        session = http.Session("sid1") if session is None else session
        return http.Request("GET", path, params or {}, session, "db1", {})

    def test_routes_by_path_and_method(self):
        endpoint = http.find_endpoint("GET", "/probe/hello")
        self.assertIsNotNone(endpoint)
        self.assertIsNone(http.find_endpoint("POST", "/probe/hello"))
        self.assertIsNone(http.find_endpoint("GET", "/probe/none"))
        response = http.dispatch(endpoint, self.request("/probe/hello", {"name": "you"}))
        self.assertEqual((response.status, response.body), (200, "hello you from db1"))
        with self.assertRaises(RuntimeError):
            http.request.db  # noqa: B018 (unbound outside a request)

    def test_finalize_logs_in_and_asks_for_a_new_session_id(self):
        session = http.Session("sid1")
        response = http.dispatch(http.find_endpoint("GET", "/probe/login"), self.request("/probe/login", session=session))
        self.assertEqual((session.uid, session.login, session.db), (7, "demo", "db1"))
        self.assertNotIn("pre_uid", session)
        self.assertTrue(session.should_rotate and session.is_dirty)
        self.assertEqual(len(session.session_token), 64)
        # A redirect stays on the server that answered.
        self.assertEqual((response.status, response.headers), (303, [("Location", "/web")]))

    def test_config_file_keeps_every_option(self):
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as handle:
            handle.write("[options]\nadmin_passwd = x\ngantry_connect_key = k\n")
        try:
            self.assertEqual(read_config_file(handle.name), {"admin_passwd": "x", "gantry_connect_key": "k"})
        finally:
            os.unlink(handle.name)


if __name__ == "__main__":
    unittest.main()
