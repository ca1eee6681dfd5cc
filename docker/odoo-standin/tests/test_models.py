"""Python models: a class in an addon is recorded for its module, its fields become the
columns the loader adds, `_sql_constraints` become named constraints."""

import os
import sys
import tempfile
import types
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from odoo import fields, models  # noqa: E402
from odoo.modules import data, schema  # noqa: E402


def model_class(module, name, attrs):
    return type(name, (models.Model,), {"__module__": f"odoo.addons.{module}.models.m", **attrs})


class RecordingCursor:
    """Keeps each statement's text; finds the ir.model row (id 7), nothing else."""

    def __init__(self):
        self.statements = []

    def execute(self, query, params=None):
        self.statements.append(repr(query) + " " + repr(params))

    def fetchone(self):
        return (7,) if "SELECT id FROM ir_model " in self.statements[-1] else None


class TestModels(unittest.TestCase):
    def test_class_is_recorded_for_its_module(self):
        cls = model_class("acme_rec", "AcmeRec", {"_name": "acme.rec", "name": fields.Char(required=True)})
        self.assertEqual(models.module_models("acme_rec"), [cls])
        self.assertEqual(cls._own_fields["name"].name, "name")
        self.assertTrue(cls._own_fields["name"].required)
        self.assertTrue(cls._defines())

    def test_inherit_extends_without_defining(self):
        cls = model_class("acme_ext", "AcmeExt", {"_inherit": "res.partner", "x": fields.Integer()})
        self.assertEqual(cls._model_name(), "res.partner")
        self.assertFalse(cls._defines())

    def test_columns_of_fields(self):
        self.assertEqual(fields.Many2one("res.partner").comodel_name, "res.partner")
        self.assertIsNone(fields.Binary().column, "a Binary lives in the filestore by default")
        self.assertEqual(fields.Binary(attachment=False).column, "bytea")
        self.assertFalse(fields.Float(compute="_compute").stored)
        self.assertIsNone(fields.Datetime(default=lambda self: None).column_default())

    def test_create_tables_adds_columns_and_constraints(self):
        model_class("acme_tab", "AcmeTab", {
            "_name": "acme.tab", "_description": "Tab",
            "code": fields.Char(), "partner_id": fields.Many2one("res.partner"),
            "picture": fields.Binary(),
            "_sql_constraints": [("code_uniq", "unique(code)", "unique")],
        })
        cr = RecordingCursor()
        self.assertEqual(schema.create_tables(cr, "acme_tab", types.SimpleNamespace(info=lambda *a: None)), ["acme.tab"])
        text = "\n".join(cr.statements)
        self.assertIn("ADD COLUMN IF NOT EXISTS '), Identifier('code'), SQL(' '), SQL('varchar')", text)
        self.assertIn("Identifier('acme_tab_partner_id_fkey')", text)
        self.assertIn("Identifier('acme_tab_code_uniq'), SQL(' '), Composed([SQL('UNIQUE (')", text)
        self.assertNotIn("Identifier('picture')", text)
        self.assertIn("'model_acme_tab'", text)

    def test_other_constraints_refused(self):
        model_class("acme_bad", "AcmeBad", {"_name": "acme.bad", "_sql_constraints": [("x", "exclude (a with =)", "")]})
        with self.assertRaises(schema.SchemaError):
            schema.create_tables(RecordingCursor(), "acme_bad", types.SimpleNamespace(info=lambda *a: None))


class TestDataFile(unittest.TestCase):
    def test_file_of_the_module_only(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "acme_f", "data"))
            with open(os.path.join(root, "acme_f", "data", "a.txt"), "w") as handle:
                handle.write("hello")
            ctx = types.SimpleNamespace(module="acme_f", module_path=os.path.join(root, "acme_f"))
            field = {"file": "acme_f/data/a.txt", "type": "base64"}
            self.assertEqual(data._file_value(ctx, field), "aGVsbG8=")
            for hostile in ("acme_f/../../etc/passwd", "other/data/a.txt"):
                with self.assertRaises(data.DataError):
                    data._file_value(ctx, {"file": hostile})
