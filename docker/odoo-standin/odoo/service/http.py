"""The HTTP side of the server (stdlib, threaded): /web/login, /web, /web/health,
/web/webclient/version_info, /web/database/selector, with Odoo's --db-filter rules."""

import html
import json
import logging
import os
import re
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .. import http as odoo_http
from .. import release, sql_db
from ..tools import passwords
from ..tools.config import config

_logger = logging.getLogger("odoo.http")
_werkzeug = logging.getLogger("werkzeug")
SESSIONS = {}
_lock = threading.Lock()

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><title>Login | Odoo</title></head><body class="o_web_client">
<form class="oe_login_form" role="form" method="post" action="/web/login">
<input type="hidden" name="csrf_token" value="{csrf}"/>
{error}
<label for="login">Email</label><input type="text" name="login" id="login" value="{login}" required="required"/>
<label for="password">Password</label><input type="password" name="password" id="password" required="required"/>
<input type="hidden" name="redirect" value=""/>
<button type="submit" class="btn btn-primary">Log in</button>
</form></body></html>"""


def db_list(host=""):
    """Databases this server may serve: -d names, else all, filtered by --db-filter."""
    names = [d for d in config["db_name"].split(",") if d] if config["db_name"] else sql_db.list_databases()
    pattern = config["dbfilter"]
    if pattern:
        hostname = host.split(":")[0]
        domain = hostname.partition(".")[2] if hostname.startswith("www.") else hostname.split(".")[0]
        pattern = pattern.replace("%h", re.escape(hostname)).replace("%d", re.escape(domain))
        names = [n for n in names if re.match(pattern, n)]
    return names


class Handler(BaseHTTPRequestHandler):
    server_version = "Werkzeug/2.0.2"
    sys_version = f"Python/{release.version}"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        _werkzeug.info('%s - - [%s] "%s" %s', self.client_address[0], self.log_date_time_string(),
                       self.requestline, args[1] if len(args) > 1 else "-")

    def _send(self, status, body, content_type="text/html; charset=utf-8", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, status, payload):
        self._send(status, json.dumps(payload), "application/json")

    def _sid(self):
        for part in self.headers.get("Cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == "session_id":
                return value
        return None

    def _session(self):
        """The logged-in session of the request's cookie, or None."""
        with _lock:
            session = SESSIONS.get(self._sid() or "")
        return session if session and session.get("uid") else None

    def _controller(self, method):
        """Routes of server-wide modules (odoo.http controllers), after the built-in pages."""
        url = urllib.parse.urlsplit(self.path)
        endpoint = odoo_http.find_endpoint(method, url.path)
        if endpoint is None:
            return False
        sid = self._sid()
        with _lock:
            stored = SESSIONS.get(sid or "")
        session = odoo_http.Session(sid if stored is not None else odoo_http.new_sid(), stored)
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        request = odoo_http.Request(method, url.path, params, session, self._database(), self.headers)
        response = odoo_http.dispatch(endpoint, request)
        headers = list(response.headers)
        if session.is_dirty:
            with _lock:
                if session.should_rotate:
                    SESSIONS.pop(session.sid, None)
                    session.sid = odoo_http.new_sid()
                SESSIONS[session.sid] = dict(session)
            headers.append(("Set-Cookie", f"session_id={session.sid}; HttpOnly; Path=/; SameSite=Lax"))
        content_type = next((v for k, v in headers if k.lower() == "content-type"), "text/html; charset=utf-8")
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
        self._send(response.status, response.body, content_type, headers)
        return True

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _database(self):
        names = db_list(self.headers.get("Host", ""))
        return names[0] if len(names) == 1 or config["db_name"] else None

    def do_HEAD(self):
        self.do_GET()

    def _session_store(self):
        """Odoo keeps its sessions in <data_dir>/sessions, made at the first request: every
        request, /web/health too, fails while the data dir is not writable."""
        try:
            os.makedirs(os.path.join(config["data_dir"], "sessions"), mode=0o700, exist_ok=True)
            return True
        except OSError:
            _logger.exception("Exception during request handling.")
            self._send(500, "<html><body><h1>Internal Server Error</h1></body></html>")
            return False

    def do_GET(self):
        if not self._session_store():
            return None
        path = urllib.parse.urlsplit(self.path).path
        if path == "/web/health" and release.series_tuple >= (17, 0):
            return self._json(200, {"status": "pass"})
        if path == "/web/login":
            return self._login_page()
        if path == "/web/database/selector":
            items = "".join(f'<a href="/web?db={html.escape(n)}">{html.escape(n)}</a>' for n in db_list(self.headers.get("Host", "")))
            return self._send(200, f"<html><body><div class='list-group'>{items}</div></body></html>")
        if path in ("/", "/web", "/odoo"):
            session = self._session()
            if not session:
                return self._send(303, "", headers=[("Location", "/web/login")])
            return self._send(200, f"<html><head><title>Odoo</title></head><body class='o_web_client'>"
                                   f"<span class='oe_topbar_name'>{html.escape(session['login'])}</span></body></html>")
        if path == "/web/webclient/version_info":
            return self._version_info(None)
        if self._controller("GET"):
            return None
        self._send(404, "<html><body><h1>404: Not Found</h1></body></html>")

    def do_POST(self):
        if not self._session_store():
            return None
        path = urllib.parse.urlsplit(self.path).path
        if path == "/web/login":
            return self._login_post()
        if path == "/web/webclient/version_info":
            try:
                request_id = json.loads(self._body() or b"{}").get("id")
            except ValueError:
                request_id = None
            return self._version_info(request_id)
        if self._controller("POST"):
            return None
        self._send(404, "<html><body><h1>404: Not Found</h1></body></html>")

    def _version_info(self, request_id):
        self._json(200, {"jsonrpc": "2.0", "id": request_id, "result": {
            "server_version": release.version,
            "server_version_info": list(release.version_info),
            "server_serie": release.serie,
            "protocol_version": 1,
        }})

    def _login_page(self, error="", login="", status=200):
        block = f'<p class="alert alert-danger" role="alert">{html.escape(error)}</p>' if error else ""
        self._send(status, LOGIN_PAGE.format(csrf=secrets.token_hex(20), error=block, login=html.escape(login)))

    def _login_post(self):
        form = urllib.parse.parse_qs(self._body().decode(errors="replace"))
        login = (form.get("login") or [""])[0]
        password = (form.get("password") or [""])[0]
        dbname = (form.get("db") or [None])[0] or self._database()
        if not dbname:
            return self._login_page("No database selected", login)
        uid = check_credentials(dbname, login, password)
        if uid is None:
            _logger.info("Login failed for db:%s login:%s from %s", dbname, login, self.client_address[0])
            return self._login_page("Wrong login/password", login)
        _logger.info("Login successful for db:%s login:%s from %s", dbname, login, self.client_address[0])
        sid = secrets.token_urlsafe(30)
        with _lock:
            SESSIONS[sid] = {"uid": uid, "login": login, "db": dbname}
        self._send(303, "", headers=[("Location", "/web"),
                                     ("Set-Cookie", f"session_id={sid}; HttpOnly; Path=/; SameSite=Lax")])


def check_credentials(dbname, login, password):
    try:
        conn = sql_db.connect(dbname)
    except Exception:
        _logger.exception("cannot connect to %s", dbname)
        return None
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT id, password FROM res_users WHERE login = %s AND active", (login,))
            row = cr.fetchone()
    finally:
        conn.close()
    if row and passwords.verify_password(password, row[1]):
        return row[0]
    return None


def make_server(interface, port):
    server = ThreadingHTTPServer((interface or "0.0.0.0", port), Handler)
    server.daemon_threads = True
    return server
