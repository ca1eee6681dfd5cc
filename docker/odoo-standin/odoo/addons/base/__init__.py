"""base: the kernel module. Its post-init hook writes the database's identity
parameters, as Odoo's ir.config_parameter init does."""

import datetime
import uuid

from odoo import sql_db

from . import models  # noqa: F401


def _post_init(env_or_cr, _registry=None):
    cr = getattr(env_or_cr, "cr", env_or_cr)
    now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
    for key, value in (
        ("database.uuid", str(uuid.uuid1())),
        ("database.secret", str(uuid.uuid4())),
        ("database.create_date", now),
        ("web.base.url", "http://localhost:8069"),
        ("report.url", ""),
    ):
        if sql_db.get_param(cr, key) is None:
            sql_db.set_param(cr, key, value)
