"""Print the accessible tree of one running application as JSON, read through AT-SPI.

Run by Debian's ``/usr/bin/python3`` (it has PyGObject and the Atspi typelib;
the project's virtual environment has neither)::

    /usr/bin/python3 tests/gui/atspi_dump.py --pid PID [--all] [--serve]
    /usr/bin/python3 tests/gui/atspi_dump.py --probe   # exit 0 once AT-SPI answers

The output is one JSON object: ``{"found": bool, "nodes": [...]}``; a node is
``{"role", "name", "labels", "description", "focusable", "focused", "showing",
"enabled", "checked", "x", "y", "width", "height", "depth"}`` with screen
coordinates; ``labels`` are the names of the labels a focusable control is
labelled by (how a choice box, whose name is its current entry, is found). Subtrees that are not
showing are skipped (a hidden screen of the kiosk's page stack is thousands of
widgets) unless ``--all`` is given. With ``--serve`` the script stays and
prints one tree (one line) for every line read from stdin, until stdin closes.

Only the standard library and ``gi`` are used, so the file also imports
under any interpreter that has them.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

_MAX_DEPTH = 60


def _find_app(pid: int) -> Any:
    desktop = Atspi.get_desktop(0)
    desktop.clear_cache()  # no main loop runs here: read the applications afresh
    for index in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(index)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def _node(acc: Any, depth: int) -> tuple[dict[str, Any], bool]:
    states = acc.get_state_set()
    showing = states.contains(Atspi.StateType.SHOWING)
    try:
        ext = acc.get_extents(Atspi.CoordType.SCREEN)
        box = {"x": ext.x, "y": ext.y, "width": ext.width, "height": ext.height}
    except Exception:  # no Component interface
        box = {"x": 0, "y": 0, "width": 0, "height": 0}
    labels: list[str] = []
    if showing and states.contains(Atspi.StateType.FOCUSABLE):
        for relation in acc.get_relation_set() or []:
            if relation.get_relation_type() == Atspi.RelationType.LABELLED_BY:
                for index in range(relation.get_n_targets()):
                    target = relation.get_target(index)
                    if target is not None:
                        labels.append(target.get_name() or "")
    node = {
        "role": acc.get_role_name() or "",
        "labels": labels,
        "name": acc.get_name() or "",
        "description": acc.get_description() or "",
        "focusable": states.contains(Atspi.StateType.FOCUSABLE),
        "focused": states.contains(Atspi.StateType.FOCUSED),
        "showing": showing,
        "enabled": states.contains(Atspi.StateType.ENABLED),
        "checked": states.contains(Atspi.StateType.CHECKED),
        "depth": depth,
        **box,
    }
    return node, showing


def dump(pid: int, everything: bool) -> dict[str, Any]:
    app = _find_app(pid)
    if app is None:
        return {"found": False, "nodes": []}
    app.clear_cache()  # libatspi caches names and states; read them afresh
    nodes: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(app, 0)]
    while stack:
        acc, depth = stack.pop()
        try:
            node, showing = _node(acc, depth)
            count = acc.get_child_count()
        except Exception:  # the object went away while we read it
            continue
        nodes.append(node)
        # the application and its top-level windows are read even when not showing
        if depth >= _MAX_DEPTH or not (showing or everything or depth == 0):
            continue
        children = []
        for index in range(count):
            try:
                child = acc.get_child_at_index(index)
            except Exception:
                child = None
            if child is not None:
                children.append((child, depth + 1))
        stack.extend(reversed(children))
    return {"found": True, "nodes": nodes}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, default=0)
    parser.add_argument("--probe", action="store_true", help="exit 0 once the registry answers")
    parser.add_argument("--all", action="store_true", help="also read subtrees not showing")
    parser.add_argument("--serve", action="store_true", help="one tree per line read")
    args = parser.parse_args()
    if args.probe:
        Atspi.get_desktop(0).get_child_count()  # raises while the registry is not up
        return 0
    if not args.serve:
        print(json.dumps(dump(args.pid, args.all)), flush=True)
        return 0
    for _line in sys.stdin:
        print(json.dumps(dump(args.pid, args.all)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
