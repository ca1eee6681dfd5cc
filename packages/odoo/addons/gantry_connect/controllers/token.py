"""Gantry's connect tokens: `<payload>.<signature>`, both base64url without padding. The
payload is JSON {"db", "act", "exp" (unix seconds), "nonce"} where act is "login" (with "user":
"admin" or a user id) or "users" (the list of users to log in as); the
signature is HMAC-SHA256 of the payload's text under the build's key, which Gantry writes into
the serving container's config file (`gantry_connect_key`) and nowhere else."""

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import time

NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_TOKEN = 2048
# Nonces are kept a while past any token's lifetime, then forgotten.
KEEP_SECONDS = 600


class TokenError(Exception):
    pass


def _unb64(text):
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError("malformed token") from exc


def verify(token, key, act, now=None):
    """The token's claims when its signature is the key's, it is for this act and has not expired."""
    if not key or len(key) < 32:
        raise TokenError("this server has no connect key")
    if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 1:
        raise TokenError("malformed token")
    payload, signature = token.split(".")
    expected = hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _unb64(signature)):
        raise TokenError("bad signature")
    try:
        claims = json.loads(_unb64(payload))
    except ValueError as exc:
        raise TokenError("malformed token") from exc
    if not isinstance(claims, dict):
        raise TokenError("malformed token")
    if not isinstance(claims.get("exp"), int) or claims["exp"] < (now or time.time()):
        raise TokenError("expired token")
    if not isinstance(claims.get("nonce"), str) or not NONCE.match(claims["nonce"]):
        raise TokenError("malformed token")
    if claims.get("act") != act:
        raise TokenError("token for another use")
    if act == "login":
        user = claims.get("user")
        if user != "admin" and not (isinstance(user, int) and not isinstance(user, bool) and user > 0):
            raise TokenError("malformed token")
    return claims


def spend(nonce, folder):
    """Records the nonce; False when it was spent before. A file created exclusively works
    across Odoo's worker processes, which share no memory."""
    os.makedirs(folder, mode=0o700, exist_ok=True)
    now = time.time()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        try:
            if now - os.path.getmtime(path) > KEEP_SECONDS:
                os.unlink(path)
        except OSError:
            pass
    try:
        os.close(os.open(os.path.join(folder, nonce), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True
