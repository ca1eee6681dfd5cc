"""mail: a standard module of the stand-in."""
