"""The contacts module's models, as far as the stand-in fills them."""
from odoo import fields, models


class ResPartnerCategory(models.Model):
    _name = 'res.partner.category'
    name = fields.Char()
    color = fields.Integer()
    active = fields.Boolean(default=True)


class ResPartner(models.Model):
    _inherit = 'res.partner'
    category_id = fields.Many2one('res.partner.category')
