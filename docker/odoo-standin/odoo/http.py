"""Odoo's web framework, the part addons use: `Controller`, `route`, `request` (with its
`session`, `db`, `params`, `redirect`), as in Odoo 16-18. A server-wide module (`--load`)
defines its controllers here and the HTTP service dispatches to them after its own pages.

The session is Odoo's: a dict with attribute access whose `finalize(env)` turns a pre-session
(`pre_login`, `pre_uid`) into a logged-in one (db, login, uid, context, session_token) and asks
for a new session id (`should_rotate`)."""

import hashlib
import hmac
import secrets
import threading

_local = threading.local()
_controllers = []


class Session(dict):
    def __init__(self, sid, values=None):
        super().__init__(values or {})
        self.sid = sid
        self.should_rotate = False
        self.is_dirty = False

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            return None

    def __setattr__(self, key, value):
        if key in ("sid", "should_rotate", "is_dirty"):
            return super().__setattr__(key, value)
        self[key] = value
        self.is_dirty = True

    def finalize(self, env):
        login = self.pop("pre_login")
        uid = self.pop("pre_uid")
        self.should_rotate = True
        self.update({
            "db": env.cr.dbname,
            "login": login,
            "uid": uid,
            "context": {"lang": "en_US", "tz": False, "uid": uid},
            "session_token": _session_token(env.cr, uid, self.sid),
        })
        self.is_dirty = True


def _session_token(cr, uid, sid):
    """Odoo's `_compute_session_token`: an HMAC of the session id keyed by the database
    secret and the user's password hash, so a password change ends the user's sessions."""
    cr.execute("SELECT value FROM ir_config_parameter WHERE key = 'database.secret'")
    secret = (cr.fetchone() or ("",))[0] or ""
    cr.execute("SELECT id, login, password FROM res_users WHERE id = %s", (uid,))
    fields = "".join(str(v) for v in (cr.fetchone() or ()))
    return hmac.new(f"{secret}{fields}".encode(), sid.encode(), hashlib.sha256).hexdigest()


class Response:
    def __init__(self, body="", status=200, headers=None):
        self.body = body
        self.status = status
        self.headers = list(headers or [])


class Request:
    def __init__(self, method, path, params, session, db, headers):
        self.method = method
        self.path = path
        self.params = params
        self.session = session
        self.db = db
        self.httprequest = _HttpRequest(method, path, params, headers)

    def redirect(self, location, code=303, local=True):
        if local and "//" in location.split("?", 1)[0]:
            location = "/" + location.split("//", 1)[1].split("/", 1)[-1]
        return Response("", code, [("Location", location)])

    def not_found(self, description=None):
        return Response(f"<html><body><h1>404: Not Found</h1>{description or ''}</body></html>", 404)

    def make_response(self, data, headers=None, cookies=None):
        return Response(data, 200, headers)


class _HttpRequest:
    def __init__(self, method, path, params, headers):
        self.method = method
        self.path = path
        self.args = params
        self.headers = headers


class _RequestProxy:
    """`odoo.http.request`: the request the current thread is serving."""

    def __getattr__(self, key):
        current = getattr(_local, "request", None)
        if current is None:
            raise RuntimeError("object unbound: no request in this thread")
        return getattr(current, key)

    def __bool__(self):
        return getattr(_local, "request", None) is not None


request = _RequestProxy()


class _ControllerType(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        if bases and bases != (object,):
            _controllers.append(cls)


class Controller(metaclass=_ControllerType):
    pass


def route(route=None, **routing):
    """@http.route('/path', type='http', auth='none', methods=['GET'], csrf=False)."""
    paths = route if isinstance(route, list) else [route]

    def decorator(function):
        function.routing = dict(routing, routes=paths)
        return function

    return decorator


def find_endpoint(method, path):
    """The controller method serving this path, or None. The last class defined wins, as a
    subclass overriding a route does in Odoo."""
    for cls in reversed(_controllers):
        for name in dir(cls):
            function = getattr(cls, name, None)
            routing = getattr(function, "routing", None)
            if not routing or path not in routing["routes"]:
                continue
            methods = routing.get("methods")
            if methods and method not in methods:
                continue
            return cls, name
    return None


def dispatch(endpoint, request_object):
    """Calls the endpoint with the query's parameters, the request bound to this thread."""
    cls, name = endpoint
    _local.request = request_object
    try:
        result = getattr(cls(), name)(**request_object.params)
    finally:
        _local.request = None
    if isinstance(result, Response):
        return result
    return Response(result or "")


def new_sid():
    return secrets.token_urlsafe(30)
