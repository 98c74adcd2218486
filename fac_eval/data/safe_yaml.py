"""Reading the evaluator's YAML files (``session.yml``, ``claims.yml``) safely and literally.

:class:`StrictLoader` is PyYAML's ``SafeLoader`` with three changes:

- **no explicit tags** (``!!float abc``, ``!!timestamp 2022-02-30``): refused with their line,
  before any conversion (which would raise a bare ``ValueError``);
- **no aliases or anchors** (``&a`` / ``*a``, merge keys ``<<: *a``): an evaluator's metadata never
  needs them, and a few lines of nested aliases ("billion laughs") expand to gigabytes. The file is
  refused with the line of the first anchor or alias, before anything is built;
- **dates stay text**: YAML 1.1 turns an unquoted ``2022-03-14`` into a date and raises a bare
  ``ValueError`` on ``2022-02-30``; here the text is kept and the reader
  (:func:`fac_eval.data.io.parse_date`) checks it, so that an impossible date gets a message with its
  line, key, value and the expected format;
- **no base-60 numbers**: YAML 1.1 reads ``3:30`` as 210; here it stays the text ``3:30``;
- **decimal numbers only**: YAML 1.1 reads ``0250000`` as the octal 86016, ``0x18`` as 24,
  ``0b11`` as 3 and ``420_0`` as 4200; here an integer is plain decimal digits without a
  leading zero (``0``, ``42``, ``-3``) and a float has no underscore, anything else stays text
  for the reader to check as written (a budget's ``0250000`` is 250,000 euros, a count's
  ``0x18`` is refused).

:func:`load` also refuses files larger than :data:`fac_eval.data.limits.MAX_YAML_BYTES` and nesting
deep enough to exhaust the parser's recursion, and returns ``(data, problem)`` in the project's
problem format rather than raising.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

from fac_eval.core.i18n import N_
from fac_eval.data import limits, raw_entries
from fac_eval.data.validation_problems import Problem, both, problem

__all__ = ["StrictLoader", "AliasError", "DuplicateKeyError", "load", "load_text", "compose",
           "key_lines", "node_paths"]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class AliasError(ComposerError):
    """A YAML anchor or alias, refused by :class:`StrictLoader`."""

    expected = N_('a YAML file without anchors or aliases ("&name", "*name", "<<:"): write the '
                  "values out in full")


class TagError(ComposerError):
    """An explicit YAML tag (``!!float abc``, ``!!timestamp 2022-02-30``), refused by
    :class:`StrictLoader`: the reader checks every value as written, untyped."""

    expected = N_('a YAML file without explicit types ("!!float", "!!timestamp"…): write the '
                  "value alone")


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A key given twice in one mapping (PyYAML keeps the last one silently)."""

    def __init__(self, key: str, first_line: int, mark):
        super().__init__(None, None, f"duplicate key {key!r}", mark)
        self.key = key
        self.first_line = first_line


class StrictLoader(yaml.SafeLoader):
    """``SafeLoader`` without aliases, anchors, implicit dates, base-60 numbers or keys given
    twice."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AliasError(None, None, "anchor or alias", event.start_mark)
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)) \
                and getattr(event, "tag", None) not in (None, "!"):
            raise TagError(None, None, "explicit tag", event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        # a key given twice: the first value would be lost without a word (a claims.yml stating
        # a wrong figure first, then the right one, was checked as agreeing)
        seen: dict[str, int] = {}
        for key, _ in getattr(node, "value", ()):
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DuplicateKeyError(str(key.value), seen[key.value], key.start_mark)
                seen[key.value] = key.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_TIMESTAMP, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    # decimal integers only, without leading zeros: YAML 1.1 reads 0250000 as the octal 86016,
    # 0x18 as 24 and 420_0 as 4200; here they stay text, for the reader to check as written
    _INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
StrictLoader.add_implicit_resolver(
    # decimal numbers without underscores (1_000.5 stays text)
    _FLOAT,
    re.compile(r"""^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""", re.X),
    list("-+0123456789."))


def _problem(file: str, row: int | None, expected: tuple[str, str],
             kind: str = "unreadable_file") -> Problem:
    return problem(file, row, None, None, kind, expected)


#: Deepest nesting of flow collections (``[`` / ``{``) accepted: PyYAML's scanner is quadratic
#: in it (100,000 nested brackets take minutes), and no metadata file needs more than a few.
MAX_FLOW_DEPTH = 64
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'')
_BRACKETS = re.compile(r"[\[\]{}]")


def flow_depth(text: str) -> int:
    """The deepest nesting of ``[`` / ``{`` in ``text``, quoted strings left out (an upper
    bound: brackets in comments or plain scalars count too)."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(_QUOTED.sub("", text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def load_text(text: str, file: str) -> tuple[Any, Problem | None]:
    """``(data, None)`` or ``(None, problem)`` for the YAML ``text`` of ``file``."""
    if flow_depth(text) > MAX_FLOW_DEPTH:
        return None, _problem(
            file, None, both(N_("a YAML file with little nesting (at most %(max)s levels of "
                                "brackets or braces)"), max=MAX_FLOW_DEPTH))
    try:
        return yaml.load(text, Loader=StrictLoader), None
    except (AliasError, TagError) as err:  # refused while composing, at their line
        mark = err.problem_mark
        return None, _problem(file, mark.line + 1 if mark is not None else None,
                              both(err.expected))
    except DuplicateKeyError as err:
        mark = err.problem_mark
        return None, _problem(
            file, mark.line + 1 if mark is not None else None,
            both(N_("a YAML file where each key appears once in its section: '%(key)s' is given "
                    "again (first on line %(first)s); keep one of them"),
                 key=err.key, first=err.first_line))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        reason = getattr(err, "problem", None) or ""
        return None, _problem(
            file, mark.line + 1 if mark is not None else None,
            both(N_('a valid YAML file ("key: value" lines); syntax error: %(reason)s'),
                 reason=reason) if reason else both(N_('a valid YAML file ("key: value" lines)')))
    except RecursionError:
        return None, _problem(
            file, None, both(N_('a YAML file with little nesting ("key: value" lines)')))


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """The text of a YAML file (UTF-8 with or without BOM, else Windows-1252), refusing files
    over :data:`fac_eval.data.limits.MAX_YAML_BYTES` before reading them."""
    path = Path(path)
    big = limits.file_size_problem(path, limits.MAX_YAML_BYTES)
    if big is not None:
        return None, big
    try:
        data = raw_entries.read_regular(path)
    except raw_entries.NotRegularFile as err:
        return None, err.problem()
    except OSError as err:
        return None, _problem(path.name, None,
                              both(N_("a readable file (%(error)s)"), error=err.strerror))
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), None


def load(path: str | Path) -> tuple[Any, str | None, Problem | None]:
    """``(data, text, None)`` or ``(None, text_or_None, problem)`` for a YAML file."""
    path = Path(path)
    text, problem = read_text(path)
    if problem is not None:
        return None, None, problem
    assert text is not None  # read_text gives a text or a problem
    data, problem = load_text(text, path.name)
    return data, text, problem


def compose(text: str):
    """The node tree of ``text`` with :class:`StrictLoader` (None when it cannot be composed)."""
    if flow_depth(text) > MAX_FLOW_DEPTH:
        return None
    try:
        return yaml.compose(text, Loader=StrictLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def key_lines(text: str) -> dict[str, int]:
    """Line number (1-based) of each top-level key of a YAML mapping."""
    node = compose(text)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def node_paths(text: str) -> list[tuple[tuple, yaml.Node, yaml.Node]]:
    """Every value of a YAML document by path (``("budget", "funders", 0, "amount")``):
    ``(path, where, value)``, ``where`` the node that locates it (its key in a mapping, the item
    itself in a list), ``value`` its node. Empty when ``text`` cannot be composed (aliases
    included: :func:`compose`)."""
    out: list[tuple[tuple, yaml.Node, yaml.Node]] = []

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                p = (*path, key.value)
                out.append((p, key, value))
                walk(value, p)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                p = (*path, i)
                out.append((p, item, item))
                walk(item, p)

    root = compose(text)
    if root is not None:
        walk(root, ())
    return out
