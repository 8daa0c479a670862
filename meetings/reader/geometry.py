"""Checking an annotation's shape against its page: the right geometry per kind, numbers only, inside
the page box, and a cap on points so one annotation cannot carry a megabyte of pen samples."""
import math
import re

from flask_babel import gettext as _

from meetings.reader.layout import PageBox

MAX_POINTS = 10_000
MAX_RECTS = 500
MAX_TEXT = 10_000
# A pen stroke sampled at the page's edge may round a hair outside it; more than this is a client bug.
TOLERANCE = 0.5
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLORS = {"highlight": "#ffd400", "ink": "#d32f2f", "note": "#f9a825", "freetext": "#1565c0"}
WIDTHS = (0.25, 50.0)
DEFAULT_WIDTH = 2.0


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


class Shape:
    """Collects per-field errors like validation.Fields, for the nested lists of geometry."""

    def __init__(self, box: PageBox):
        self.box = box
        self.errors: dict[str, str] = {}

    def _inside(self, x: float, y: float) -> bool:
        return -TOLERANCE <= x <= self.box.width + TOLERANCE and -TOLERANCE <= y <= self.box.height + TOLERANCE

    def point(self, name: str, value) -> list[float] | None:
        if not isinstance(value, list) or len(value) != 2:
            self.errors[name] = _("A point is [x, y].")
            return None
        x, y = (_number(v) for v in value)
        if x is None or y is None:
            self.errors[name] = _("Coordinates must be numbers.")
            return None
        if not self._inside(x, y):
            self.errors[name] = _("Outside the page.")
            return None
        return [round(x, 2), round(y, 2)]

    def rect(self, name: str, value) -> list[float] | None:
        if not isinstance(value, list) or len(value) != 4:
            self.errors[name] = _("A rectangle is [x0, y0, x1, y1].")
            return None
        numbers = [_number(v) for v in value]
        if any(v is None for v in numbers):
            self.errors[name] = _("Coordinates must be numbers.")
            return None
        x0, y0, x1, y1 = numbers
        if x1 <= x0 or y1 <= y0:
            self.errors[name] = _("A rectangle needs x0 < x1 and y0 < y1.")
            return None
        if not (self._inside(x0, y0) and self._inside(x1, y1)):
            self.errors[name] = _("Outside the page.")
            return None
        return [round(v, 2) for v in numbers]

    def rects(self, name: str, value) -> list | None:
        if not isinstance(value, list) or not value:
            self.errors[name] = _("Give at least one rectangle.")
            return None
        if len(value) > MAX_RECTS:
            self.errors[name] = _("At most %(n)d rectangles.", n=MAX_RECTS)
            return None
        result = [self.rect(name, r) for r in value]
        return None if name in self.errors else result

    def paths(self, name: str, value) -> list | None:
        if not isinstance(value, list) or not value or not all(isinstance(p, list) and p for p in value):
            self.errors[name] = _("Give at least one path of [x, y] points.")
            return None
        # Counted before anything else: a 50,000-point body is refused without walking it.
        if sum(len(p) for p in value) > MAX_POINTS:
            self.errors[name] = _("At most %(n)d points in one annotation.", n=MAX_POINTS)
            return None
        result = []
        for path in value:
            points = [self.point(name, p) for p in path]
            if name in self.errors:
                return None
            result.append(points)
        return result


def geometry_for(kind: str, data: dict, box: PageBox) -> tuple[dict | None, dict[str, str]]:
    """The stored geometry for `kind` from a request body, or the errors per field."""
    shape = Shape(box)
    if kind == "highlight":
        geometry = {"rects": shape.rects("rects", data.get("rects"))}
    elif kind == "ink":
        geometry = {"paths": shape.paths("paths", data.get("paths"))}
        width = data.get("width", DEFAULT_WIDTH)
        number = _number(width)
        if number is None or not WIDTHS[0] <= number <= WIDTHS[1]:
            shape.errors["width"] = _("A line width from %(low)s to %(high)s points.", low=WIDTHS[0], high=WIDTHS[1])
        else:
            geometry["width"] = number
    else:
        geometry = {"rect": shape.rect("rect", data.get("rect"))}
    return (None if shape.errors else geometry), shape.errors


def bounds(kind: str, geometry: dict) -> tuple[float, float, float, float]:
    """The rectangle around an annotation: where "my notes" crops its thumbnail."""
    if kind == "highlight":
        rects = geometry["rects"]
    elif kind == "ink":
        points = [p for path in geometry["paths"] for p in path]
        rects = [[min(p[0] for p in points), min(p[1] for p in points),
                  max(p[0] for p in points), max(p[1] for p in points)]]
    else:
        rects = [geometry["rect"]]
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
