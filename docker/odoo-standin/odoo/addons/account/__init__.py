"""account: a standard module of the stand-in."""

from . import models  # noqa: F401
