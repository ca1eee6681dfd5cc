"""Namespace of every addon: `odoo.addons.<module>`. The loader appends the configured
addons paths to __path__, so modules import each other as in Odoo."""
