"""The mail module's models, as far as the stand-in fills them."""
from odoo import fields, models


class MailMessageSubtype(models.Model):
    _name = 'mail.message.subtype'
    name = fields.Char()
    internal = fields.Boolean()
    default = fields.Boolean()


class MailMessage(models.Model):
    _name = 'mail.message'
    subject = fields.Char()
    body = fields.Html()
    model = fields.Char(index=True)
    res_id = fields.Integer(index=True)
    message_type = fields.Char()
    author_id = fields.Many2one('res.partner')
    subtype_id = fields.Many2one('mail.message.subtype')


class MailTemplate(models.Model):
    _name = 'mail.template'
    name = fields.Char()
    model = fields.Char()
    subject = fields.Char()
    body_html = fields.Html()


class MailMail(models.Model):
    _name = 'mail.mail'
    email_from = fields.Char()
    email_to = fields.Char()
    subject = fields.Char()
    body_html = fields.Text()
    state = fields.Char(default='outgoing')
    message_id = fields.Char()
    failure_reason = fields.Text()
