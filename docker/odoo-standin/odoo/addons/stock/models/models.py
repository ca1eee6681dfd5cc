"""The stock module's models, as far as the stand-in fills them."""
from odoo import fields, models


class StockLocation(models.Model):
    _name = 'stock.location'
    name = fields.Char()
    complete_name = fields.Char(index=True)
    usage = fields.Char()


class StockQuant(models.Model):
    _name = 'stock.quant'
    product_id = fields.Many2one('product.product')
    location_id = fields.Many2one('stock.location')
    quantity = fields.Float()


class StockMove(models.Model):
    _name = 'stock.move'
    name = fields.Char()
    reference = fields.Char(index=True)
    product_id = fields.Many2one('product.product')
    location_id = fields.Many2one('stock.location')
    location_dest_id = fields.Many2one('stock.location')
    product_uom_qty = fields.Float()
    state = fields.Char(index=True)
