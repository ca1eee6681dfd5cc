"""Odoo's field classes as far as the stand-in needs them: each stored field becomes a
column of its model's table (`modules/schema.py`). Arguments the stand-in has no use for
(help, readonly, tracking, compute...) are accepted and kept, as a module passes them."""


class Field:
    type = None
    column = None  # PostgreSQL type of the column; None for fields without one

    def __init__(self, string=None, **kwargs):
        self.name = None
        self.string = string
        self.required = bool(kwargs.pop("required", False))
        self.index = bool(kwargs.pop("index", False))
        self.default = kwargs.pop("default", None)
        self.store = kwargs.pop("store", None)
        self.compute = kwargs.pop("compute", None)
        self.args = kwargs

    @property
    def stored(self):
        # As in Odoo: computed fields are not stored unless they say so.
        return self.store if self.store is not None else not self.compute

    def __set_name__(self, owner, name):
        self.name = name

    def column_default(self):
        """A static default becomes the column's DEFAULT; a callable one is Python's alone."""
        return None if callable(self.default) else self.default


def _simple(type_, column, doc):
    return type(type_.capitalize(), (Field,), {"type": type_, "column": column, "__doc__": doc})


Char = _simple("char", "varchar", "A string column.")
Text = _simple("text", "text", "A text column.")
Html = _simple("html", "text", "An HTML text column.")
Integer = _simple("integer", "integer", "An integer column.")
Float = _simple("float", "double precision", "A float column.")
Monetary = _simple("monetary", "numeric", "A monetary column.")
Boolean = _simple("boolean", "boolean", "A boolean column.")
Date = _simple("date", "date", "A date column.")
Datetime = _simple("datetime", "timestamp without time zone", "A UTC timestamp column.")
Json = _simple("json", "jsonb", "A JSON column.")


class Selection(Field):
    type = "selection"
    column = "varchar"

    def __init__(self, selection=None, string=None, **kwargs):
        super().__init__(string=string, **kwargs)
        self.selection = selection


class Many2one(Field):
    """A foreign key to the comodel's table, indexed."""

    type = "many2one"
    column = "integer"

    def __init__(self, comodel_name=None, string=None, **kwargs):
        self.comodel_name = comodel_name or kwargs.pop("comodel_name", None)
        self.ondelete = kwargs.pop("ondelete", "set null")
        super().__init__(string=string, **kwargs)


class Binary(Field):
    """Stored in ir.attachment (the filestore) by default, as Odoo does since 13.0: only
    `attachment=False` makes a column."""

    type = "binary"

    def __init__(self, string=None, **kwargs):
        self.attachment = kwargs.pop("attachment", True)
        super().__init__(string=string, **kwargs)
        self.column = None if self.attachment else "bytea"


class _Relational(Field):
    """One2many and Many2many: no column of this table (the stand-in makes no relation table)."""

    def __init__(self, comodel_name=None, *args, **kwargs):
        super().__init__(string=kwargs.pop("string", None), **kwargs)
        self.comodel_name = comodel_name


class One2many(_Relational):
    type = "one2many"


class Many2many(_Relational):
    type = "many2many"
