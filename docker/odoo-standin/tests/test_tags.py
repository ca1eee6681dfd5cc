"""--test-tags spec and the tagged decorator, per Odoo's rules."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from odoo.tests.tag_selector import TagsSelector  # noqa: E402


class Fake:
    def __init__(self, module, tags, cls="TestX", method="test_y"):
        self.test_module = module
        self.test_tags = set(tags)
        self._testMethodName = method
        self.__class__ = type(cls, (Fake,), {})


class TestTagsSelector(unittest.TestCase):
    def test_default_standard(self):
        sel = TagsSelector("+standard")
        self.assertTrue(sel.check(Fake("m", {"standard", "at_install"})))
        self.assertFalse(sel.check(Fake("m", {"at_install"})))

    def test_module_filter(self):
        sel = TagsSelector("/acme_base")
        self.assertTrue(sel.check(Fake("acme_base", {"standard"})))
        self.assertFalse(sel.check(Fake("other", {"standard"})))

    def test_exclude(self):
        sel = TagsSelector("standard,-slow")
        self.assertFalse(sel.check(Fake("m", {"standard", "slow"})))
        self.assertTrue(sel.check(Fake("m", {"standard"})))

    def test_class_and_method(self):
        sel = TagsSelector(":TestX.test_y")
        self.assertTrue(sel.check(Fake("m", {"standard"}, "TestX", "test_y")))
        self.assertFalse(sel.check(Fake("m", {"standard"}, "TestX", "test_z")))
        self.assertFalse(sel.check(Fake("m", {"standard"}, "TestOther", "test_y")))

    def test_custom_tag_and_star(self):
        self.assertTrue(TagsSelector("acme").check(Fake("m", {"acme", "standard"})))
        self.assertTrue(TagsSelector("*/m").check(Fake("m", {"whatever"})))
        self.assertFalse(TagsSelector("-*/m").check(Fake("m", {"standard"})))

    def test_phase(self):
        self.assertTrue(TagsSelector("post_install").check(Fake("m", {"post_install"})))
        self.assertFalse(TagsSelector("at_install").check(Fake("m", {"post_install"})))

    def test_invalid(self):
        with self.assertRaises(ValueError):
            TagsSelector("a b!")


class TestTagged(unittest.TestCase):
    def test_tagged_adds_and_removes(self):
        from odoo.tests.common import BaseCase, tagged

        @tagged("post_install", "-at_install", "acme")
        class TestT(BaseCase):
            def test_a(self):
                pass

        self.assertEqual(TestT.test_tags, {"standard", "post_install", "acme"})
        self.assertEqual(BaseCase.test_tags, {"standard", "at_install"})


if __name__ == "__main__":
    unittest.main()
