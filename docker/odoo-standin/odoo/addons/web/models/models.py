"""The web module's models, as far as the stand-in fills them."""
from odoo import fields, models


class IrUiView(models.Model):
    _name = 'ir.ui.view'
    _description = 'View'
    name = fields.Char(index=True)
    model = fields.Char(index=True)
    type = fields.Char()
    arch_db = fields.Text()
    priority = fields.Integer()
    active = fields.Boolean(default=True)
