"""Odoo's model classes as far as the stand-in needs them. A class deriving from Model in
an addon (`odoo.addons.<module>...`) is recorded for that module when the module is
imported; the loader then creates or alters its table (`modules/schema.py`), as Odoo's
registry does from the same classes. `_name` defines a model, `_inherit` alone extends one
defined by a dependency."""

from .fields import Field

# module name -> model classes in the order the module defined them
_by_module = {}


def _addon_of(python_module):
    parts = python_module.split(".")
    return parts[2] if len(parts) >= 3 and parts[:2] == ["odoo", "addons"] else None


class MetaModel(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._own_fields = {key: value for key, value in attrs.items() if isinstance(value, Field)}
        module = _addon_of(cls.__module__)
        if module is not None:
            cls._module = module
            _by_module.setdefault(module, []).append(cls)


class BaseModel(metaclass=MetaModel):
    _name = None
    _inherit = ()
    _description = None
    _auto = True
    _abstract = True
    _transient = False
    _order = "id"
    _rec_name = None
    _sql_constraints = []

    @classmethod
    def _model_name(cls):
        if cls.__dict__.get("_name"):
            return cls._name
        inherit = cls.__dict__.get("_inherit")
        if isinstance(inherit, str):
            return inherit
        if inherit:
            return list(inherit)[0]
        raise TypeError(f"{cls.__module__}.{cls.__name__}: a model needs _name or _inherit")

    @classmethod
    def _defines(cls):
        """True when this class creates the model rather than extending an existing one."""
        name = cls.__dict__.get("_name")
        inherit = cls.__dict__.get("_inherit")
        inherited = [inherit] if isinstance(inherit, str) else list(inherit or ())
        return bool(name) and name not in inherited


class AbstractModel(BaseModel):
    _abstract = True


class Model(AbstractModel):
    _abstract = False


class TransientModel(Model):
    _transient = True


def module_models(module):
    """The model classes `module` declared (empty until its Python package was imported)."""
    return list(_by_module.get(module, ()))
