# As in Odoo: `from odoo.tools import config` is the configuration, not its module.
from .config import config  # noqa: F401
