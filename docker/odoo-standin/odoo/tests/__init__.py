"""Odoo's test API: `from odoo.tests import TransactionCase, tagged` works as in Odoo."""

from .common import BaseCase, HttpCase, SingleTransactionCase, TransactionCase, tagged, users  # noqa: F401
from .tag_selector import TagsSelector  # noqa: F401

Form = None  # The stand-in has no form views.
