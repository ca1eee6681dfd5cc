"""The product module's models, as far as the stand-in fills them."""
from odoo import fields, models


class UomUom(models.Model):
    _name = 'uom.uom'
    name = fields.Char()
    factor = fields.Float()
    uom_type = fields.Char()


class ProductCategory(models.Model):
    _name = 'product.category'
    name = fields.Char(index=True)
    complete_name = fields.Char()


class ProductProduct(models.Model):
    _name = 'product.product'
    name = fields.Char(index=True)
    default_code = fields.Char(index=True)
    barcode = fields.Char()
    list_price = fields.Float()
    standard_price = fields.Float()
    categ_id = fields.Many2one('product.category')
    uom_id = fields.Many2one('uom.uom')
    type = fields.Char()
    active = fields.Boolean(default=True)
    _sql_constraints = [('barcode_uniq', 'unique(barcode)', 'barcode must be unique')]
