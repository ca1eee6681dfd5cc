"""Version of the running server. The image sets ODOO_VERSION (like the official image)."""

import os
import re

serie = os.environ.get("ODOO_VERSION", "17.0")
if not re.match(r"^(saas~)?\d+\.\d+$", serie):
    raise SystemExit(f"ODOO_VERSION must look like 17.0, got {serie!r}")
major_version = serie
version = serie
_major, _minor = (int(x) for x in serie.replace("saas~", "").split("."))
version_info = (_major, _minor, 0, "final", 0, "")
series_tuple = (_major, _minor)


def series_key(value):
    """Orders series strings such as '16.0' and 'saas~17.2'."""
    major, minor = value.replace("saas~", "").split(".")[:2]
    return (int(major), int(minor))


def demo_default():
    """From saas-18.3 on, demo data is off unless --with-demo is given."""
    return series_tuple < (18, 3)
