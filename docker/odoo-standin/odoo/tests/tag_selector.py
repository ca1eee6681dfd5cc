"""Odoo's --test-tags spec: comma-separated `[-][tag][/module][:class][.method]`.
An include filter without a tag means `standard`; `-` excludes; `*` is any tag."""

import re

FILTER_RE = re.compile(r"^([+-]?)(\*|\w*)(?:/([\w/]*(?:\.py)?))?(?::(\w*))?(?:\.(\w*))?(?:\[(.*)\])?$")


class TagsSelector:
    def __init__(self, spec):
        self.include = set()
        self.exclude = set()
        for item in (s.strip() for s in str(spec or "").split(",")):
            if not item:
                continue
            match = FILTER_RE.match(item)
            if not match:
                raise ValueError(f"Invalid test tag filter {item!r}")
            sign, tag, module, klass, method, _params = match.groups()
            is_include = sign != "-"
            if not tag and is_include:
                tag = "standard"
            elif not tag or tag == "*":
                tag = None
            module_path = None
            if module and (module.endswith(".py") or "/" in module):
                module_path, module = module, None
            entry = (tag, module or None, klass or None, method or None, module_path)
            (self.include if is_include else self.exclude).add(entry)

    @staticmethod
    def _matches(entry, test_tags, test_module, test_class, test_method, test_file):
        tag, module, klass, method, module_path = entry
        if tag and tag not in test_tags:
            return False
        if module_path and not (test_file or "").endswith(module_path):
            return False
        if not module_path and module and module != test_module:
            return False
        if klass and klass != test_class:
            return False
        if method and test_method and method != test_method:
            return False
        return True

    def check(self, test):
        test_module = getattr(test, "test_module", None)
        test_tags = set(getattr(test, "test_tags", set())) | {test_module}
        test_class = test.__class__.__name__
        test_method = getattr(test, "_testMethodName", None)
        test_file = getattr(test, "test_file", None)
        args = (test_tags, test_module, test_class, test_method, test_file)
        if any(self._matches(e, *args) for e in self.exclude):
            return False
        return any(self._matches(e, *args) for e in self.include)
