"""The repair of what a killed run left: its swap completed, its leftovers removed, and said.

A run swaps its output folders in together, from a journal written in the lock folder first
(:meth:`fac_eval.run.outputs.Staging.commit`). Killed on the way, it leaves some folders swapped
and others not, or its staging and old folders beside them. The next run of the same session
calls :func:`recover` under the session's lock, before it stages anything:

- an interrupted swap is completed from the journal, but only over a folder that holds nothing
  of the user's; otherwise the refusal names the files and says that the swap is half done and
  which folders already hold the new outputs (:func:`_guard_pending`);
- the run's exact leftovers are removed; an old folder found without its journal (the journal
  or the lock folder removed since) is removed only when it holds exactly what the record says
  the previous run made, and is otherwise kept aside;
- what was done is said (:func:`say_repair`): a completed swap, the folders kept aside and why.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fac_eval.core.i18n import N_, both, tr
from fac_eval.data.session_paths import PathGuardError, Paths
from fac_eval.run.outputs import (
    _TAG,
    OLD,
    TMP,
    _away_prefix,
    _journal,
    _leftover,
    _rmtree,
    _staging_root,
    _where,
    live_owner,
    remove_staged,
)


@dataclass
class Repair:
    """What :func:`recover` did: the leftovers ``removed``; the folders ``kept`` aside, as
    ``(target, where)``, because no run recorded them or they hold what the record does not;
    among them those ``orphaned`` (the previous folder of a swap whose journal was removed);
    the targets whose interrupted swap was ``completed``."""

    removed: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, Path]] = field(default_factory=list)
    orphaned: list[Path] = field(default_factory=list)
    completed: list[Path] = field(default_factory=list)


def _read_journal(journal: Path) -> list:
    if not journal.is_file() or journal.is_symlink():
        return []
    try:
        swaps = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return swaps if isinstance(swaps, list) else []


def recover(key: str, targets: Iterable[Path], paths: Paths | None = None,
            repair: Repair | None = None) -> Repair:
    """Repair what a killed run of ``key`` left (call it holding the lock); see the module.
    ``repair`` is filled as the work goes (what was done before a refusal is in it too)."""
    from fac_eval.run import output_record

    paths = paths or Paths()
    targets = [Path(t) for t in targets]
    journal = _journal(key, paths)
    repair = Repair() if repair is None else repair
    if os.path.lexists(journal):
        # a journal is trusted only for this run's own targets and their staging names beside
        # them: a forged one naming raw data (or anything else) moves nothing
        mine = {_where(t): t for t in targets}
        swaps = _own_swaps(_read_journal(journal), mine, _staging_root(paths))
        _guard_pending(key, swaps, paths)
        for target, tmp, old, _, _ in swaps:
            if tmp.is_dir() and not os.path.islink(tmp):
                if os.path.lexists(target) and not os.path.lexists(old):
                    os.replace(target, old)
                if not os.path.lexists(target):
                    os.replace(tmp, target)
                    repair.completed.append(target)
        # an old folder is kept aside when no run recorded it, or when it holds what the
        # record does not (a file saved into it after the killed run's last check)
        keeps = [keep or output_record.differs_from_record(old, target, key, paths)
                 for target, _, old, keep, _ in swaps]
        if swaps:  # what the killed run made, as it staged it: never a file saved since
            output_record.write_record(key, paths, [t for t, *_ in swaps],
                                       {str(t): made for t, _, _, _, made in swaps})
        for (target, _, old, _, _), keep in zip(swaps, keeps):
            if os.path.isdir(old) and not os.path.islink(old):
                if keep:
                    repair.kept.append((target, output_record.keep_aside(old, target, paths)))
                else:
                    _rmtree(old)
                    repair.removed.append(old)
        _rmtree(journal)
    for target in targets:
        repair.removed += remove_staged(target, paths)
        if target.parent.is_dir():
            _remove_leftovers(key, target, paths, repair)
    return repair


def _remove_leftovers(key: str, target: Path, paths: Paths, repair: Repair) -> None:
    """Remove the exact leftovers of killed runs of ``target``. An old folder found without its
    journal is the previous ``target`` of a swap interrupted before the record (then it holds
    what the record says, and goes) or after it (kept aside: it may hold a file of the user's
    saved meanwhile)."""
    from fac_eval.run import output_record

    leftover = _leftover(target.name)
    for entry in target.parent.iterdir():
        if not leftover.fullmatch(entry.name) or live_owner(entry.name):
            continue  # not a leftover, or the folder of a run still working
        if (entry.name.startswith(OLD) and entry.is_dir() and not entry.is_symlink()
                and any(entry.iterdir())
                and output_record.differs_from_record(entry, target, key, paths)):
            repair.kept.append((target, output_record.keep_aside(entry, target, paths)))
            repair.orphaned.append(target)
        else:
            _rmtree(entry)
            repair.removed.append(entry)


def _guard_pending(key: str, swaps: list[tuple], paths: Paths) -> None:
    """Refuse to complete the swap over a folder that holds a file of the user's; the refusal
    also says that the swap is half done: which folders already hold the new outputs and
    where the new ones of the refused folder wait."""
    from fac_eval.data.session_paths import guard_no_foreign_folders
    from fac_eval.run import output_record

    done = [t for t, tmp, old, _, _ in swaps if os.path.lexists(old) and not os.path.lexists(tmp)]
    for target, tmp, old, _, _ in swaps:
        if not (tmp.is_dir() and not os.path.islink(tmp) and os.path.lexists(target)
                and not os.path.lexists(old)):
            continue
        try:
            guard_no_foreign_folders(target)
            output_record.guard_no_foreign_files(target, key, paths)
        except PathGuardError as err:
            if done:
                why = both(N_("A run of %(session)s was stopped while it replaced its folders: "
                              "%(done)s already holds its new outputs, %(path)s still the "
                              "previous ones (its new ones wait in %(staged)s). Once the files "
                              "are moved, the next run completes the replacement."),
                           session=key, done=", ".join(map(str, done)), path=target,
                           staged=tmp)
            else:
                why = both(N_("A run of %(session)s was stopped just before it replaced its "
                              "folders: %(path)s still holds the previous outputs (the new "
                              "ones wait in %(staged)s). Once the files are moved, the next "
                              "run completes the replacement."),
                           session=key, path=target, staged=tmp)
            raise PathGuardError(f"{err.fr} {why[0]}", f"{err.en} {why[1]}", err.path) from err


def say_repair(repair: Repair, key: str, lang: str,
               notify: Callable[[str], None] | None) -> None:
    """Say what :func:`recover` did that the user should know: a completed swap, and each folder
    kept aside with why."""
    if not notify:
        return
    if repair.completed:
        notify(tr(lang, N_("A run of %(session)s had been stopped while it replaced its output "
                           "folders: the replacement was completed from its journal "
                           "(%(folders)s), before this run."),
                  session=key, folders=", ".join(map(str, repair.completed))))
    for target, where in repair.kept:
        if target in repair.orphaned:
            notify(tr(lang, N_(
                "%(path)s: a run was stopped while it replaced this folder, and the journal "
                "of that swap was removed since; the previous folder, which holds what no "
                "record describes, was not deleted but kept in %(kept)s. Remove that copy once "
                "you have checked it."), path=target, kept=where))
        else:
            notify(tr(lang, N_(
                "%(path)s held files fac-eval cannot vouch for (made before it recorded "
                "the files of its runs, or put in while a run was working): it was not "
                "removed but kept in %(kept)s. Remove that copy once you have checked it."),
                path=target, kept=where))


def _own_swaps(swaps, mine: dict[str, Path], away: Path) -> list[tuple]:
    """The journal's ``(target, staging, old, keep, made)`` entries that name one of ``mine``
    (this run's targets, by real path), a staging folder of its own (beside it, or in the
    staging root ``away``) and an old folder of its own name beside it. ``keep``: the target
    was a folder no run recorded (a journal of the previous version, without it: kept too);
    ``made``: the files the run staged there with their SHA-256 (None in an earlier journal,
    or one that is not a mapping of names to digests)."""
    out: list[tuple] = []
    for entry in swaps if isinstance(swaps, list) else ():
        if not (isinstance(entry, list) and len(entry) in (3, 4, 5)
                and all(isinstance(x, str) for x in entry[:3])):
            continue
        keep = entry[3] if len(entry) >= 4 else True
        made = entry[4] if len(entry) == 5 else None
        if not (isinstance(made, dict) and all(
                isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in made.items())):
            made = None
        target, tmp, old = (Path(x) for x in entry[:3])
        if _where(target) not in mine or not isinstance(keep, bool):
            continue
        name, parent = target.name, _where(target.parent)
        own = re.compile(re.escape(name) + "~" + _TAG)
        beside = (_where(tmp.parent) == parent and tmp.name.startswith(TMP)
                  and own.fullmatch(tmp.name[len(TMP):]) is not None)
        staged = (_where(tmp.parent) == _where(away)
                  and re.fullmatch(re.escape(_away_prefix(target)) + _TAG, tmp.name) is not None)
        if ((beside or staged) and _where(old.parent) == parent and old.name.startswith(OLD)
                and own.fullmatch(old.name[len(OLD):])):
            out.append((mine[_where(target)], tmp, old, keep, made))
    return out
