"""Password hashes in passlib's pbkdf2_sha256 format, which is what Odoo stores in
res_users.password: `$pbkdf2-sha256$ROUNDS$SALT$HASH` with passlib's base64 alphabet."""

import base64
import hashlib
import hmac
import os

ROUNDS = 600_000


def _ab64_encode(data):
    return base64.b64encode(data, b"./").decode().rstrip("=")


def _ab64_decode(text):
    text = text.replace(".", "+")
    return base64.b64decode(text + "=" * (-len(text) % 4))


def hash_password(password, rounds=ROUNDS, salt=None):
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds)
    return f"$pbkdf2-sha256${rounds}${_ab64_encode(salt)}${_ab64_encode(digest)}"


def verify_password(password, stored):
    if not stored or not password:
        return False
    if not stored.startswith("$pbkdf2-sha256$"):
        return False  # plaintext passwords are deprecated in Odoo too
    try:
        _, _, rounds, salt, digest = stored.split("$")
        expected = hashlib.pbkdf2_hmac("sha256", password.encode(), _ab64_decode(salt), int(rounds))
        return hmac.compare_digest(expected, _ab64_decode(digest))
    except (ValueError, TypeError):
        return False
