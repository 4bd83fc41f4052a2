"""Reference implementations of the graded functions, one module per lesson.

The autograder's hidden tests compare a student's function with the one of the same
name here. Each is tested against an independent computation in ``tests/``. Every
module's ``__all__`` is re-exported, so ``from helpers.reference import sigmoid`` works
whichever lesson defines it.
"""
import importlib
import pkgutil

__all__ = []
for _module in pkgutil.iter_modules(__path__):
    _lesson = importlib.import_module(f"{__name__}.{_module.name}")
    globals().update({name: getattr(_lesson, name) for name in _lesson.__all__})
    __all__ += _lesson.__all__
