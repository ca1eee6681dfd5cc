"""GET /gantry/connect?token=…: checks Gantry's token, then logs the browser in as the user it
names and redirects to the web client. GET /gantry/users?token=…: the active internal users,
for Gantry's "Connect as" (read by Odoo's own connection: the build's database role). No password is read, shown or changed: the session is
made the way Odoo makes one after its own checks (a pre-session finalized), which is the same
call on Odoo 16, 17 and 18 (`Session.finalize(env)`); only `authenticate`, which needs a
password, changed between them (18 takes a credential dict)."""

import json
import logging
import os

from odoo import SUPERUSER_ID, api, http
from odoo.http import request
from odoo.modules.registry import Registry
from odoo.tools import config

from . import token as tokens

_logger = logging.getLogger(__name__)


def _served_databases():
    return [name.strip() for name in (config.get("db_name") or "").split(",") if name.strip()]


def _refuse(why):
    _logger.warning("gantry connect refused: %s", why)
    return request.make_response(
        "<html><body><h1>Connect refused</h1><p>%s. Open the build again from Gantry.</p></body></html>"
        % why.capitalize(),
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
    )


def _user(cr, wanted):
    """(id, login) of the active internal user the token names ("admin": base.user_admin)."""
    if wanted == "admin":
        cr.execute("SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'user_admin'")
        row = cr.fetchone()
        if not row:
            return None
        wanted = row[0]
    cr.execute("SELECT id, login FROM res_users WHERE id = %s AND active AND NOT share", (wanted,))
    return cr.fetchone()


def _claims(token, act):
    """The token's claims, once: (claims, None) or (None, why it is refused)."""
    try:
        claims = tokens.verify(token, config.get("gantry_connect_key") or "", act)
    except tokens.TokenError as exc:
        return None, str(exc)
    if claims.get("db") not in _served_databases():
        return None, "token for another database"
    if not tokens.spend(claims["nonce"], os.path.join(config["data_dir"], "gantry-connect")):
        return None, "token already used"
    return claims, None


class GantryConnect(http.Controller):
    @http.route("/gantry/users", type="http", auth="none", methods=["GET"], csrf=False)
    def gantry_users(self, token=None, **kwargs):
        claims, why = _claims(token, "users")
        if not claims:
            return _refuse(why)
        with Registry(claims["db"]).cursor() as cr:
            cr.execute(
                "SELECT u.id, u.login, p.name FROM res_users u JOIN res_partner p ON p.id = u.partner_id "
                "WHERE u.active AND NOT u.share ORDER BY u.id LIMIT 500"
            )
            users = [{"id": row[0], "login": row[1], "name": row[2] or row[1]} for row in cr.fetchall()]
        return request.make_response(
            json.dumps({"users": users}),
            headers=[("Content-Type", "application/json"), ("Cache-Control", "no-store")],
        )

    @http.route("/gantry/connect", type="http", auth="none", methods=["GET"], csrf=False)
    def gantry_connect(self, token=None, **kwargs):
        claims, why = _claims(token, "login")
        if not claims:
            return _refuse(why)
        database = claims["db"]
        with Registry(database).cursor() as cr:
            user = _user(cr, claims["user"])
            if not user:
                return _refuse("no such active internal user")
            env = api.Environment(cr, SUPERUSER_ID, {})
            request.session.pre_login = user[1]
            request.session.pre_uid = user[0]
            request.session.finalize(env)
        _logger.info("gantry connect: db:%s login:%s", database, user[1])
        return request.redirect("/web")
