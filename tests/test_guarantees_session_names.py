"""Issue 10, attacker round 24 (F21): a new session named like personal data.

``new-session 0612345678`` or ``synth A3f9c2b1d0e`` made a session whose name, written in every
report, the first run's leak scan then refused (or, for a pseudonymous id, published as the
session's name). Such a name is refused by ``new-session`` and ``synth`` before anything is
written, naming the kind of data, with the detector the leak scan uses.
"""

from __future__ import annotations

import pytest
from _guarantees import make_project, run_cli

from fac_eval.disclosure import pii

PERSONAL = ["0612345678", "06.12.34.56.78", "tel-0612345678", "0033612345678",
            "2850175123456", "FR7630006000011234567890189", "AB-123-CD", "A3f9c2b1d0e",
            "pa1b2c3d4e5"]
PLAIN = ["s2028", "cohorte-2025", "2025-03", "promo.75001", "synth-2030"]


@pytest.mark.parametrize("command", ["new-session", "synth"])
@pytest.mark.parametrize("name", PERSONAL)
def test_a_name_that_reads_as_personal_data_is_refused(tmp_path, monkeypatch, capsys, command,
                                                       name):
    proj = make_project(tmp_path, monkeypatch, [])
    before = sorted(proj.raw.rglob("*"))
    extra = ["--learners", "6", "--founders", "4", "--seed", "1"] if command == "synth" else []
    code, out, err = run_cli(capsys, command, name, *extra)
    assert code == 2 and "Traceback" not in err
    assert f"Le nom de session « {name} » se lit comme une donnée personnelle" in err, err
    assert "Rien n'a été écrit" in err
    assert sorted(proj.raw.rglob("*")) == before


@pytest.mark.parametrize("name, kind", [("0612345678", "phone number"),
                                        ("2850175123456", "social security number"),
                                        ("A3f9c2b1d0e", "participant id")])
def test_the_refusal_names_the_kind_in_english(tmp_path, monkeypatch, capsys, name, kind):
    make_project(tmp_path, monkeypatch, [])
    code, out, err = run_cli(capsys, "new-session", name, "--lang", "en")
    assert code == 2 and f"The session name '{name}' reads as personal data ({kind})" in err


def test_a_name_of_the_names_file_is_refused(tmp_path, monkeypatch, capsys):
    proj = make_project(tmp_path, monkeypatch, [])
    names = tmp_path / "noms.txt"
    names.write_text("Marie Dupont\nLemoine\n", encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(names))
    code, out, err = run_cli(capsys, "new-session", "lemoine")
    assert code == 2 and "(nom)" in err and not (proj.raw / "lemoine").exists()


@pytest.mark.parametrize("name", PLAIN)
def test_plain_names_are_still_accepted(tmp_path, monkeypatch, capsys, name):
    """And the detector finds nothing in them: the refusal follows the leak scan's detector."""
    proj = make_project(tmp_path, monkeypatch, [])
    assert pii.find_pii(name) == []
    code, out, err = run_cli(capsys, "new-session", name)
    assert code == 0, err
    assert (proj.raw / name / "session.yml").is_file()
