"""The account module's models, as far as the stand-in fills them."""
from odoo import fields, models


class AccountAccount(models.Model):
    _name = 'account.account'
    name = fields.Char()
    code = fields.Char()
    account_type = fields.Char()
    _sql_constraints = [('code_uniq', 'unique(code)', 'code must be unique')]


class AccountTax(models.Model):
    _name = 'account.tax'
    name = fields.Char()
    amount = fields.Float()
    type_tax_use = fields.Char()


class AccountMove(models.Model):
    _name = 'account.move'
    name = fields.Char(index=True)
    partner_id = fields.Many2one('res.partner')
    move_type = fields.Char()
    state = fields.Char(index=True)
    amount_total = fields.Monetary()
    date = fields.Date()


class AccountMoveLine(models.Model):
    _name = 'account.move.line'
    move_id = fields.Many2one('account.move')
    account_id = fields.Many2one('account.account')
    name = fields.Char()
    debit = fields.Monetary()
    credit = fields.Monetary()
    balance = fields.Monetary()
    tax_id = fields.Many2one('account.tax')
