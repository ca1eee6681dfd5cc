from . import connect  # noqa: F401
