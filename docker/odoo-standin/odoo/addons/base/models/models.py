"""The base module's models, as far as the stand-in fills them."""
from odoo import fields, models


class ResCurrency(models.Model):
    _name = 'res.currency'
    _description = 'Currency'
    name = fields.Char(required=True)
    symbol = fields.Char()
    rounding = fields.Float()
    active = fields.Boolean(default=True)
    _sql_constraints = [('name_uniq', 'unique(name)', 'name must be unique')]


class ResCountry(models.Model):
    _name = 'res.country'
    _description = 'Country'
    name = fields.Char(index=True)
    code = fields.Char()
    currency_id = fields.Many2one('res.currency')
    phone_code = fields.Integer()
    _sql_constraints = [('code_uniq', 'unique(code)', 'code must be unique')]


class ResCountryState(models.Model):
    _name = 'res.country.state'
    _description = 'Country state'
    name = fields.Char(index=True)
    code = fields.Char()
    country_id = fields.Many2one('res.country')


class ResLang(models.Model):
    _name = 'res.lang'
    _description = 'Languages'
    name = fields.Char()
    code = fields.Char()
    iso_code = fields.Char()
    active = fields.Boolean(default=False)
    date_format = fields.Char()
    _sql_constraints = [('code_uniq', 'unique(code)', 'code must be unique')]


class ResPartnerTitle(models.Model):
    _name = 'res.partner.title'
    _description = 'Partner title'
    name = fields.Char()
    shortcut = fields.Char()


class ResCompany(models.Model):
    _name = 'res.company'
    _description = 'Companies'
    name = fields.Char(required=True)
    currency_id = fields.Many2one('res.currency')
    email = fields.Char()


class ResPartner(models.Model):
    _name = 'res.partner'
    _description = 'Contact'
    name = fields.Char(index=True)
    display_name = fields.Char(index=True)
    email = fields.Char(index=True)
    phone = fields.Char()
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    country_id = fields.Many2one('res.country')
    state_id = fields.Many2one('res.country.state')
    company_id = fields.Many2one('res.company')
    title = fields.Many2one('res.partner.title')
    is_company = fields.Boolean(default=False)
    active = fields.Boolean(default=True)
    comment = fields.Html()


class ResGroups(models.Model):
    _name = 'res.groups'
    _description = 'Access groups'
    name = fields.Char()
    full_name = fields.Char()


class ResUsers(models.Model):
    _name = 'res.users'
    _description = 'User'
    login = fields.Char(required=True)
    password = fields.Char()
    partner_id = fields.Many2one('res.partner')
    company_id = fields.Many2one('res.company')
    active = fields.Boolean(default=True)
    share = fields.Boolean(default=False)
    _sql_constraints = [('login_uniq', 'unique(login)', 'login must be unique')]


class IrCron(models.Model):
    _name = 'ir.cron'
    _description = 'Scheduled actions'
    name = fields.Char()
    model = fields.Char()
    code = fields.Text()
    interval_number = fields.Integer()
    interval_type = fields.Char()
    nextcall = fields.Datetime()
    active = fields.Boolean(default=True)
    priority = fields.Integer()


class IrMailServer(models.Model):
    _name = 'ir.mail_server'
    _description = 'Mail server'
    name = fields.Char()
    smtp_host = fields.Char()
    smtp_port = fields.Integer()
    smtp_encryption = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)


class IrAttachment(models.Model):
    _name = 'ir.attachment'
    _description = 'Attachment'
    name = fields.Char()
    res_model = fields.Char(index=True)
    res_id = fields.Integer()
    type = fields.Char()
    store_fname = fields.Char()
    checksum = fields.Char(index=True)
    file_size = fields.Integer()
    mimetype = fields.Char()
    public = fields.Boolean()
    db_datas = fields.Binary(attachment=False)


class IrModelAccess(models.Model):
    _name = 'ir.model.access'
    _description = 'Model Access'
    name = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one('ir.model', required=True, index=True, ondelete='cascade')
    group_id = fields.Many2one('res.groups', index=True, ondelete='restrict')
    perm_read = fields.Boolean()
    perm_write = fields.Boolean()
    perm_create = fields.Boolean()
    perm_unlink = fields.Boolean()
