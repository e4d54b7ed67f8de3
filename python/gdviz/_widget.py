"""``gdviz.Widget``: the gradient-descent visualizer in a notebook cell, driven and read from
Python (anywidget: JupyterLab, Notebook 7, VS Code, Colab).

Every option of the page's ``set()`` is a synced trait of the same name (``w.lr``,
``w.optimizer``, ``w.runs``, ``w.kappa``, ...), made from the core's schema. A value set in
Python is checked against the schema first (a refused one raises :class:`OptionError` and
changes nothing), then the page applies it with the core's own validation; what only the
page's state can refuse (see ``page_checks`` in ``gdviz.options()``) comes back in
``w.notices`` and the trait returns to the page's value. A change made in the page (a slider
drag) sets the traits in the kernel. ``w.state()`` is the page's last reported state with
every run's trajectory.
"""

from __future__ import annotations

import difflib
import pathlib
import warnings
from typing import Any, Optional

import anywidget
import traitlets

from ._schema import OptionError, schema
from ._state import State, from_message

_STATIC = pathlib.Path(__file__).parent / "static"


class GdvizNotice(UserWarning):
    """A value the page refused after Python's checks passed (the message says why)."""


def _static(name: str) -> pathlib.Path:
    path = _STATIC / name
    if not path.is_file():
        raise RuntimeError(
            f"gdviz: {path} is missing: this package was installed without its front end; "
            "build the wheel with `cargo xtask wheel` and install that"
        )
    return path


def _option_traits() -> dict[str, traitlets.TraitType]:
    """One synced trait per option of the schema, ``None`` until set or reported by the page."""
    return {name: traitlets.Any(None, allow_none=True).tag(sync=True) for name in schema().names()}


_Options = type(anywidget.AnyWidget)("_Options", (anywidget.AnyWidget,), _option_traits())


class Widget(_Options):
    """The visualizer. ``Widget(surface="booth", lr=0.05)`` takes any options of ``set()`` and
    the page keys ``lesson`` (a lesson id), ``controls`` (groups to show, e.g. ``"lr,player"``)
    and ``embed`` (minimal chrome, on by default)."""

    _esm = _static("widget.js")
    _css = _static("style.css")

    _option_names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    #: Counts Python's changes; the page reports the last one it applied with its state.
    _revision = traitlets.Int(0).tag(sync=True)

    lesson = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    controls = traitlets.Union([traitlets.Unicode(), traitlets.List(traitlets.Unicode())], default_value=None, allow_none=True).tag(sync=True)
    embed = traitlets.Bool(True).tag(sync=True)

    #: The notices of the page: values it refused that Python's checks could not decide.
    notices = traitlets.List(traitlets.Unicode())

    def __init__(self, **options: Any):
        page = {k: options.pop(k) for k in ("lesson", "controls", "embed") if k in options}
        checked = schema().check_all(options, options.get("surface") if isinstance(options.get("surface"), str) else None)
        self._state: Optional[State] = None
        self._unseen: list[str] = []
        self._error: Optional[str] = None
        super().__init__(_option_names=schema().names(), **page, **checked)
        self.on_msg(self._message)

    # Python → page -------------------------------------------------------------------------

    @traitlets.validate(*schema().names())
    def _check(self, proposal: Any) -> Any:
        name = proposal.trait.name
        # The page's own values (set_state from the front end) are the core's: taken as they are.
        if name in getattr(self, "_property_lock", {}):
            return proposal.value
        return schema().check(name, proposal.value, self.surface)

    @traitlets.observe(*schema().names())
    def _changed(self, change: Any) -> None:
        # After the option's own message: the page reports this revision once it applied both.
        if change["name"] not in getattr(self, "_property_lock", {}):
            self._revision += 1

    def __setattr__(self, name: str, value: Any) -> None:
        # A mistyped option (`w.lrr = 0.1`) would be a silent new attribute: refuse it.
        if not name.startswith("_") and not hasattr(type(self), name) and name not in self.__dict__:
            near = difflib.get_close_matches(name, schema().names(), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise OptionError(f"{name!r}: unknown option{hint}")
        super().__setattr__(name, value)

    def set(self, **options: Any) -> None:
        """Sets several options at once: checked first (nothing changes if one is refused), then
        handed to the page in one ``set()`` call, applied in the core's order."""
        checked = schema().check_all(options, self.surface)
        with self.hold_sync():
            for name, value in checked.items():
                if name == "surface" and value != self.surface:
                    self.surface = value
            for name, value in checked.items():
                setattr(self, name, value)

    # page → Python -------------------------------------------------------------------------

    def _message(self, _widget: Any, content: dict, buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "state":
            self._state = from_message(content, buffers)
        elif kind == "notices":
            new = [str(n) for n in content.get("notices", [])]
            self.notices = self.notices + new
            self._unseen.extend(new)
        elif kind == "error":
            self._error = str(content.get("message"))

    def _fresh(self) -> State:
        """The last state, with the page's notices since the last read as warnings."""
        for notice in self._unseen:
            warnings.warn(notice, GdvizNotice, stacklevel=3)
        self._unseen = []
        if self._error:
            raise RuntimeError(f"gdviz could not start in the page: {self._error}")
        if self._state is None:
            raise RuntimeError(
                "the widget has not reported a state yet: show it (end a cell with it) and read "
                "state() in a later cell"
            )
        if self._state.revision < self._revision:
            warnings.warn(
                "the page has not applied the last change yet (it answers between cells): this "
                "is the state before it; read it again in the next cell",
                GdvizNotice,
                stacklevel=3,
            )
        return self._state

    def state(self) -> dict:
        """The page's last reported state as plain Python: the options, ``status``,
        ``divergedAt``, ``convergedAt`` and ``trajectory`` of the selected run, and ``runs``
        with each run's settings and its ``trajectory`` (an n × 3 NumPy array of x, y, loss
        when NumPy is installed, else a list of [x, y, loss])."""
        return self._fresh().as_dict()

    @property
    def trajectory(self) -> Any:
        """The selected run's path: x, y, loss per step (NumPy array, or lists without NumPy)."""
        return self._fresh().trajectory

    @property
    def trajectories(self) -> list:
        """Every run's path, in the order of ``runs``."""
        return self._fresh().trajectories
