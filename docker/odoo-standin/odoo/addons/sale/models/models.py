"""The sale module's models, as far as the stand-in fills them."""
from odoo import fields, models


class SaleOrder(models.Model):
    _name = 'sale.order'
    name = fields.Char(index=True)
    partner_id = fields.Many2one('res.partner')
    state = fields.Char(index=True)
    amount_total = fields.Monetary()
    date_order = fields.Datetime()


class SaleOrderLine(models.Model):
    _name = 'sale.order.line'
    order_id = fields.Many2one('sale.order')
    product_id = fields.Many2one('product.product')
    name = fields.Text()
    product_uom_qty = fields.Float()
    price_unit = fields.Float()
