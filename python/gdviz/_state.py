"""The page's state as the widget's front end reports it, as plain Python.

The report is the page's ``state()`` without its trajectories, plus one buffer per run of
float64 triples (x, y, loss per step, step 0 first): NumPy arrays of shape (n, 3) when NumPy is
installed, else lists of ``[x, y, loss]``. Standard library only (NumPy optional).
"""

from __future__ import annotations

import array
import copy
import sys
from typing import Any

try:  # NumPy is optional: the trajectories are lists without it.
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the environment
    _np = None


def _path(buffer: Any) -> Any:
    """One run's float64 triples as an (n, 3) array, or a list of [x, y, loss]."""
    raw = bytes(buffer)
    if len(raw) % 24:
        raise ValueError(f"a trajectory buffer of {len(raw)} bytes is not float64 triples")
    if _np is not None:
        return _np.frombuffer(raw, dtype="<f8").reshape(-1, 3).copy()
    values = array.array("d", raw)
    if sys.byteorder != "little":  # pragma: no cover
        values.byteswap()
    return [list(values[i : i + 3]) for i in range(0, len(values), 3)]


class State:
    """One report of the page: the state, every run's trajectory, and the revision of Python's
    changes it includes."""

    def __init__(self, state: dict, paths: list, revision: int):
        self._state = state
        self.trajectories = paths
        self.revision = revision

    @property
    def trajectory(self) -> Any:
        """The selected run's path."""
        i = self._state.get("selected", 0)
        return self.trajectories[i] if 0 <= i < len(self.trajectories) else None

    def as_dict(self) -> dict:
        """The state as ``state()`` gives it in the page: a fresh copy each time."""
        out = copy.deepcopy(self._state)
        for run, path in zip(out.get("runs", []), self.trajectories):
            run["trajectory"] = path.copy() if _np is not None else copy.deepcopy(path)
        out["trajectory"] = self.trajectory.copy() if _np is not None and self.trajectory is not None else copy.deepcopy(self.trajectory)
        return out


def from_message(content: dict, buffers: list) -> State:
    """The :class:`State` of the front end's ``{"type": "state", ...}`` message."""
    state = content.get("state")
    if not isinstance(state, dict):
        raise ValueError("a state message without a state")
    runs = state.get("runs") or []
    if len(buffers) != len(runs):
        raise ValueError(f"{len(runs)} runs but {len(buffers)} trajectory buffers")
    revision = content.get("revision")
    return State(state, [_path(b) for b in buffers], revision if isinstance(revision, int) else 0)
