"""The options of gdviz's ``set()`` as the core describes them, and the checks they imply.

``schema.json`` is written by the Rust core (``gdviz schema``; ``cargo xtask wheel`` puts it in
the package): every option's kind and range, taken from the bounds the core validates with.
Nothing here restates a rule: a value is checked against that description, so a Python value
the core would refuse raises :class:`OptionError` at once, before it reaches the page. What only
the page's state can decide (a formula's grammar, a batch against the surface's number of terms)
is named by the option's ``page_checks``; the page reports it as a notice (``Widget.notices``).

Standard library only: this module works without anywidget (the checks are tested so).
"""

from __future__ import annotations

import difflib
import json
import math
import numbers
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Optional

#: The layout of ``schema.json`` this module reads (``gdviz schema`` writes its own as ``layout``).
LAYOUT = 1


class OptionError(ValueError):
    """A value gdviz refuses; the message names the option and what it takes."""


def _fmt(v: float) -> str:
    """A number as the core writes it in messages: shortest round trip, whole numbers bare."""
    if v == int(v) and abs(v) < 1e16:
        return str(int(v))
    return repr(float(v))


def _shown(value: Any) -> str:
    """A short description of a given value for a message (never the whole of a huge one)."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:40] + "…"
        return repr(text)
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    return f"a {type(value).__name__}"


def _bounds_text(b: Mapping[str, Any]) -> str:
    """``[0, 1)``, ``≥ 0``, ``> 0``: the bounds of the schema in words."""
    lo, hi = b["min"], b["max"]
    if lo is None and hi is None:
        return "finite"
    if hi is None:
        return f"{'>' if b['min_open'] else '≥'} {_fmt(lo)}"
    if lo is None:
        return f"{'<' if b['max_open'] else '≤'} {_fmt(hi)}"
    return f"in {'(' if b['min_open'] else '['}{_fmt(lo)}, {_fmt(hi)}{')' if b['max_open'] else ']'}"


def _inside(b: Mapping[str, Any], v: float) -> bool:
    if not math.isfinite(v):
        return False
    lo, hi = b["min"], b["max"]
    if lo is not None and (v <= lo if b["min_open"] else v < lo):
        return False
    if hi is not None and (v >= hi if b["max_open"] else v > hi):
        return False
    return True


def _is_number(value: Any) -> bool:
    """A real number, not a bool (``True`` is not a learning rate)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not _is_bool(value)


def _is_bool(value: Any) -> bool:
    """``bool`` or NumPy's ``bool_`` (without importing NumPy)."""
    t = type(value)
    return isinstance(value, bool) or (t.__module__ == "numpy" and t.__name__ in ("bool", "bool_"))


def _is_list(value: Any) -> bool:
    """A list-like value (list, tuple, a NumPy array), not text or a mapping."""
    if isinstance(value, (str, bytes, Mapping)):
        return False
    return isinstance(value, Sequence) or (hasattr(value, "__len__") and hasattr(value, "tolist"))


class Schema:
    """The option specs of one ``schema.json``."""

    def __init__(self, doc: Mapping[str, Any]):
        if doc.get("layout") != LAYOUT:
            raise RuntimeError(
                f"gdviz: schema.json has layout {doc.get('layout')!r}, this package reads {LAYOUT}; "
                "rebuild the wheel with `cargo xtask wheel`"
            )
        self.version: str = doc.get("gdviz", "?")
        self.max_runs: int = doc["max_runs"]
        #: name → spec, for every option but the surfaces' own parameters.
        self.specs: dict[str, dict] = {}
        #: parameter name → {surface: spec}.
        self.params: dict[str, dict[str, dict]] = {}
        for spec in doc["options"]:
            if spec["scope"] == "surface":
                self.params.setdefault(spec["name"], {})[spec["surface"]] = spec
            else:
                self.specs[spec["name"]] = spec
        self.run_keys = [n for n, s in self.specs.items() if s["scope"] == "run"]

    def names(self) -> list[str]:
        """Every option a widget has as an attribute: all but the legacy ones, then the
        surfaces' parameters (each name once)."""
        return [n for n, s in self.specs.items() if not s["legacy"]] + list(self.params)

    def _unknown(self, name: str, where: str = "") -> OptionError:
        near = difflib.get_close_matches(name, self.names(), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        return OptionError(f"{where}{_shown(name)}: unknown option{hint}")

    def check(self, name: str, value: Any, surface: Optional[str] = None) -> Any:
        """``value`` as gdviz takes it for option ``name`` (plain floats, ints, lists), or
        :class:`OptionError` saying why not. ``surface`` is the current surface, which decides
        the parameters (``kappa`` only on ``ravine``)."""
        if not isinstance(name, str):
            raise OptionError(f"option names are text, got {_shown(name)}")
        if name in self.params:
            by_surface = self.params[name]
            if surface not in by_surface:
                owners = ", ".join(sorted(by_surface))
                raise OptionError(
                    f"{name}: a parameter of {owners}, not of the surface {surface!r}; set the surface first"
                )
            if value is None:
                raise OptionError(f"{name}: expected a number, got None")
            return self._value(name, by_surface[surface], value)
        spec = self.specs.get(name)
        if spec is None:
            raise self._unknown(name)
        if value is None:
            if spec["nullable"]:
                return None
            raise OptionError(f"{name}: expected {self._wants(spec)}, got None (it has no default to go back to)")
        return self._value(name, spec, value)

    def check_all(self, options: Mapping[str, Any], surface: Optional[str] = None) -> dict:
        """Every option of ``options`` checked, in the order the core applies them (so a new
        ``surface`` decides its parameters); the first refusal raises."""
        if not isinstance(options, Mapping):
            raise OptionError(f"options are a mapping of names to values, got {_shown(options)}")
        order = {n: i for i, n in enumerate(list(self.specs) + list(self.params))}
        out = {}
        for name in sorted(options, key=lambda n: order.get(n, len(order)) if isinstance(n, str) else len(order)):
            value = self.check(name, options[name], surface)
            if name == "surface" and value != "expr":
                surface = value
            out[name] = value
        return out

    def _wants(self, spec: Mapping[str, Any]) -> str:
        kind = spec["kind"]
        return {
            "number": "a number",
            "whole": "a whole number",
            "pair": "two numbers [a, b]",
            "flag": "True or False",
            "choice": "a name",
            "text": "text",
            "widths": "layer widths, e.g. [8, 8]",
            "runs": "a list of runs, e.g. [{'optimizer': 'sgd', 'lr': 0.01}, {'optimizer': 'adam', 'lr': 0.05}]",
        }[kind]

    def _value(self, name: str, spec: Mapping[str, Any], value: Any) -> Any:
        kind = spec["kind"]
        wrong = OptionError(f"{name}: expected {self._wants(spec)}, got {_shown(value)}")
        if kind == "number":
            if not _is_number(value):
                raise wrong
            try:
                v = float(value)
            except OverflowError:  # a whole number beyond any float
                v = math.inf
            if not _inside(spec["bounds"], v):
                raise OptionError(f"{name}: must be a finite number {_bounds_text(spec['bounds'])} (got {_fmt(v) if math.isfinite(v) else repr(v)})")
            return v
        if kind == "whole":
            return self._whole(name, value, spec["min"], spec["max"], wrong)
        if kind == "pair":
            if not _is_list(value) or len(value) != 2:
                raise wrong
            a, b = value[0], value[1]
            if not (_is_number(a) and _is_number(b)):
                raise wrong
            a, b = float(a), float(b)
            ok = _inside(spec["first"], a) and _inside(spec["second"], b) and (not spec["ordered"] or a <= b)
            if not ok:
                first, second = _bounds_text(spec["first"]), _bounds_text(spec["second"])
                rule = f"the first {first}, the second {second}" if first != second else f"each {first}"
                if spec["ordered"]:
                    rule += ", the first ≤ the second"
                raise OptionError(f"{name}: must be two numbers, {rule} (got [{_fmt_any(a)}, {_fmt_any(b)}])")
            return [a, b]
        if kind == "flag":
            if not _is_bool(value):
                raise wrong
            return bool(value)
        if kind == "choice":
            if not isinstance(value, str):
                raise wrong
            if value not in spec["choices"]:
                near = difflib.get_close_matches(value, spec["choices"], n=1)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise OptionError(f"{name}: must be one of {', '.join(spec['choices'])} (got {_shown(value)}){hint}")
            return value
        if kind == "text":
            if not isinstance(value, str):
                raise wrong
            most = spec["max_len"]
            if most is not None and len(value) > most:
                raise OptionError(f"{name}: at most {most} characters (got {len(value)})")
            return value
        if kind == "widths":
            items = [value] if _is_number(value) else value
            if not _is_list(items):
                raise wrong
            if not 1 <= len(items) <= spec["layers"]:
                raise OptionError(f"{name}: give 1 to {spec['layers']} hidden layers, e.g. [8, 8] (got {len(items)})")
            return [self._whole(name, w, spec["min"], spec["max"], wrong) for w in items]
        if kind == "runs":
            return self._runs(name, spec, value, wrong)
        raise OptionError(f"{name}: this gdviz does not know the kind {kind!r}; update the package")

    def _whole(self, name: str, value: Any, lo: int, hi: int, wrong: OptionError) -> int:
        if not _is_number(value):
            raise wrong
        v = int(value) if isinstance(value, numbers.Integral) else float(value)
        if isinstance(v, float) and (not math.isfinite(v) or v != int(v)) or not lo <= v <= hi:
            raise OptionError(f"{name}: expected a whole number from {lo} to {hi}, got {_fmt_any(v)}")
        return int(v)

    def _runs(self, name: str, spec: Mapping[str, Any], value: Any, wrong: OptionError) -> list:
        if not _is_list(value):
            raise wrong
        n = len(value)  # before reading any item: a huge list is refused at once
        if n == 0:
            raise OptionError(f"{name}: expected at least one run")
        if n > spec["max"]:
            raise OptionError(f"{name}: at most {spec['max']} runs at once (got {n})")
        out = []
        for i, entry in enumerate(value):
            if not isinstance(entry, Mapping):
                raise OptionError(f"{name}: entry {i + 1}: expected a mapping of per-run options, got {_shown(entry)}")
            run = {}
            for key, v in entry.items():
                if key not in self.run_keys:
                    if isinstance(key, str) and key in self.specs or key in self.params:
                        raise OptionError(
                            f"{name}: entry {i + 1}: {key!r} is shared by every run, not set per run; a run takes "
                            "optimizer, its hyper-parameters (lr, momentum, beta1, …), variant, batch and seed"
                        )
                    raise self._unknown(key if isinstance(key, str) else repr(key), f"{name}: entry {i + 1}: ")
                sub = self.specs[key]
                if v is None and not sub["nullable"]:
                    raise OptionError(f"{name}: entry {i + 1}: {key}: expected {self._wants(sub)}, got None")
                try:
                    run[key] = None if v is None else self._value(key, sub, v)
                except OptionError as e:
                    raise OptionError(f"{name}: entry {i + 1}: {e}") from None
            out.append(run)
        return out


def _fmt_any(v: float) -> str:
    return _fmt(v) if math.isfinite(v) else repr(v)


_loaded: Optional[Schema] = None


def schema() -> Schema:
    """The package's schema (``$GDVIZ_SCHEMA`` names another file, for tests)."""
    global _loaded
    if _loaded is None:
        path = os.environ.get("GDVIZ_SCHEMA")
        try:
            if path:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
            else:
                text = resources.files("gdviz").joinpath("schema.json").read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RuntimeError(
                "gdviz: schema.json is missing from the package; build the wheel with `cargo xtask wheel` "
                "(it writes the schema, the widget's script and its stylesheet into python/gdviz/)"
            ) from None
        _loaded = Schema(json.loads(text))
    return _loaded


def check(name: str, value: Any, surface: Optional[str] = None) -> Any:
    """:meth:`Schema.check` with the package's schema."""
    return schema().check(name, value, surface)


def check_all(options: Mapping[str, Any], surface: Optional[str] = None) -> dict:
    """:meth:`Schema.check_all` with the package's schema."""
    return schema().check_all(options, surface)
