"""Every op class, one module per family; importing this package registers them all
(op registry for the IR reader, factories for the opsets)."""

from importlib import import_module as _import
from pkgutil import iter_modules as _iter_modules

for _m in _iter_modules(__path__):
    if not _m.name.startswith("_"):
        _import(f"{__name__}.{_m.name}")
