"""Issue 10, attacker round 24 (F13): Ctrl-C said "Interrompu." and nothing of what it left.

Each command now says, in its own words, what holds at whatever point it was stopped: the
output commands leave every output folder as it was or whole (a swap cut short is undone, or
completed by the next run), a new session is made whole or not at all, a pseudonymised file is
written whole or not at all, a reading command wrote nothing.
"""

from __future__ import annotations

import pytest
from _guarantees import make_project, run_cli, tree

from fac_eval.data import entry_templates
from fac_eval.run import cli, outputs

WORDS = {
    "run": ("Aucun dossier de sortie n'est laissé à moitié écrit",
            "No output folder is left half-written"),
    "compare": ("Aucun dossier de sortie n'est laissé à moitié écrit",
                "No output folder is left half-written"),
    "new-session": ("Un nouveau dossier de session est créé en entier ou pas du tout",
                    "A new session folder is made whole or not at all"),
    "pseudonymise": ("Le fichier de sortie est écrit en entier ou pas du tout",
                     "The output file is written whole or not at all"),
    "validate": ("Interrompu. Rien n'a été écrit.", "Interrupted. Nothing was written."),
}
ARGS = {"run": ["run", "2022"], "compare": ["compare", "2022", "synth-2024"],
        "new-session": ["new-session", "s2040"], "pseudonymise": ["pseudonymise", "a.csv", "b.csv"],
        "validate": ["validate", "2022"]}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("command", sorted(WORDS))
def test_each_command_says_what_an_interruption_leaves(tmp_path, monkeypatch, capsys, command,
                                                       lang):
    make_project(tmp_path, monkeypatch, ["2022"])

    def stopped(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.HANDLERS, command, stopped)
    code, out, err = run_cli(capsys, *ARGS[command], "--lang", lang)
    assert code == 130 and "Traceback" not in err
    assert WORDS[command][lang == "en"] in err, err


def test_new_session_stopped_half_way_leaves_no_folder(tmp_path, monkeypatch, capsys):
    proj = make_project(tmp_path, monkeypatch, ["2022"])
    calls = []
    real = entry_templates.write_instrument_template

    def slow(*a, **k):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(entry_templates, "write_instrument_template", slow)
    code, out, err = run_cli(capsys, "new-session", "s2041")
    assert code == 130 and len(calls) == 3
    assert not (proj.raw / "s2041").exists()
    assert "ce qui en avait été écrit est supprimé" in err
    monkeypatch.setattr(entry_templates, "write_instrument_template", real)
    assert run_cli(capsys, "new-session", "s2041")[0] == 0  # and the name is free again


def test_run_stopped_in_the_middle_of_its_swap_leaves_the_previous_outputs(tmp_path, monkeypatch,
                                                                          capsys):
    """Ctrl-C half-way through the swap: the swap is undone, both folders are as before, and
    the message says so truly."""
    proj = make_project(tmp_path, monkeypatch, ["2022"])
    assert run_cli(capsys, "run", "2022")[0] == 0
    before = {"processed": tree(proj.processed / "2022"), "reports": tree(proj.reports / "2022")}

    def ctrl_c(point):
        if point == "swap-half":
            raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "pause_point", ctrl_c)
    code, out, err = run_cli(capsys, "run", "2022", "-p", "alpha=0.1")
    assert code == 130 and "Aucun dossier de sortie n'est laissé à moitié écrit" in err
    after = {"processed": tree(proj.processed / "2022"), "reports": tree(proj.reports / "2022")}
    assert after == before
    monkeypatch.undo()
