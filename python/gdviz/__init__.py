"""gdviz in a notebook: PyTorch-exact optimizers stepping across 2D cost surfaces, drawn live,
driven and read from Python.

    import gdviz
    w = gdviz.Widget(surface="booth", lr=0.05)
    w                      # shows it in the cell
    w.lr = 0.11            # the page redraws; a refused value raises gdviz.OptionError
    w.state()["status"]    # in a later cell: the page's state, trajectories as NumPy arrays

``gdviz.options()`` lists every option with the kind and range the core accepts.
"""

from __future__ import annotations

from typing import Any

from ._schema import OptionError, schema

__all__ = ["Widget", "OptionError", "GdvizNotice", "options", "check"]


def options() -> list[dict]:
    """Every option of the widget (and of the page's ``set()``): name, kind, range, whether
    ``None`` means the default, and ``page_checks``, what only the page's state decides."""
    s = schema()
    return [dict(spec) for spec in s.specs.values() if not spec["legacy"]] + [
        dict(spec) for by_surface in s.params.values() for spec in by_surface.values()
    ]


def check(name: str, value: Any, surface: Any = None) -> Any:
    """``value`` as gdviz takes option ``name`` (on ``surface``, for a surface's parameters),
    or :class:`OptionError` saying why not: the checks a widget makes before sending."""
    return schema().check(name, value, surface)


def __getattr__(name: str) -> Any:
    # The widget needs anywidget; the checks above do not (and are tested without it).
    if name in ("Widget", "GdvizNotice"):
        from . import _widget

        return getattr(_widget, name)
    raise AttributeError(f"module 'gdviz' has no attribute {name!r}")
