"""Gantry's Odoo stand-in: a small server that honours the Odoo server contract
(command line, database layout, logs, tests, HTTP) so that Gantry can build and run
Odoo projects where the real Odoo cannot be installed."""

from . import release  # noqa: F401
from .api import SUPERUSER_ID  # noqa: F401  (odoo.SUPERUSER_ID, as in Odoo)

# Odoo puts installed addons under the `odoo.addons` namespace; the loader extends
# `odoo.addons.__path__` with the configured addons paths.
