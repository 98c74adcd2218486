"""Guarantees after an independent attacker's fifth pass (issue 10)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO
from conftest import cli_text as _cli


@pytest.mark.parametrize("argv", [["run", "comparaisons"], ["clean", "comparaisons"],
                                  ["validate", "comparaisons"], ["new-session", "comparaisons"],
                                  ["synth", "comparaisons", "--learners", "6", "--founders", "3",
                                   "--seed", "1"]])
@pytest.mark.parametrize("lang, said", [
    ("en", "The session name 'comparaisons' is reserved: the folders comparaisons/ of the "
           "processed and the reports roots hold the comparisons between sessions."),
    ("fr", "Le nom de session « comparaisons » est réservé"),
])
def test_a_session_named_like_the_comparisons_folder_is_refused(tmp_path, monkeypatch, capsys,
                                                                argv, lang, said):
    """F12: ``fac-eval run comparaisons`` replaced reports/comparaisons/ and
    processed/comparaisons/, every published comparison, with its own files."""
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "data" / "raw" / "2022", raw / "comparaisons")
    published = tmp_path / "reports" / "comparaisons" / "2022-vs-synth"
    published.mkdir(parents=True)
    (published / "comparaison_2022-vs-synth.html").write_text("<p>déjà publiée</p>")
    monkeypatch.setenv("FAC_EVAL_RAW", str(raw))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    if argv[0] in ("new-session", "synth"):
        shutil.rmtree(raw / "comparaisons")
    code, text = _cli(capsys, *argv, "--lang", lang)
    assert code != 0 and said in text, text
    assert [p.name for p in (tmp_path / "reports").rglob("*")] == [
        "comparaisons", "2022-vs-synth", "comparaison_2022-vs-synth.html"]
    assert not (tmp_path / "processed").exists()
    assert not (raw / "comparaisons").exists() or argv[0] not in ("new-session", "synth")


@pytest.mark.parametrize("gap", ["\u3164", "\uffa0", "\u2800"])
def test_a_phone_parted_by_blank_looking_characters_is_found(gap):
    """F1: Hangul fillers and the blank braille pattern between the digit groups are drawn as
    blank gaps: the reader sees a phone number, so does the detector."""
    from fac_eval.disclosure import pii

    text = "joignable au " + gap.join(["06", "12", "34", "56", "78"]) + " le soir"
    [found] = pii.find_pii(text)
    assert found.kind == "phone" and text[found.start:found.end].startswith("06")


@pytest.mark.parametrize("mark", ["\U000E0020", "\U000E0100", "\U0001D173", "\ufe0f", "\u2064"])
def test_a_listed_name_with_an_invisible_character_inside_is_found(mark):
    """F1: tag characters, variation selectors and other characters drawn as nothing, inside a
    listed name, are removed before matching, as the zero-width ones already were."""
    from fac_eval.disclosure import pii

    text = f"Merci Marie Du{mark}pont pour tout"
    [found] = pii.find_pii(text, (), ["Marie Dupont"])
    assert found.kind == "name" and text[found.start:found.end] == f"Marie Du{mark}pont"


@pytest.mark.parametrize("kind, reason_en, reason_fr", [
    ("missing", "the file does not exist", "le fichier n'existe pas"),
    ("folder", "it is a folder, not a file", "c'est un dossier, pas un fichier"),
    ("latin-1", "it is not UTF-8 text", "ce n'est pas du texte UTF-8"),
    # round 8: a device was read without end (MemoryError), a named pipe waited for ever
    ("device", "it is not a regular file", "ce n'est pas un fichier ordinaire"),
    ("fifo", "it is not a regular file", "ce n'est pas un fichier ordinaire"),
    ("huge", "it is larger than 5 MB", "il dépasse 5 Mo"),
])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_names_file_that_cannot_be_read_is_refused_by_validate_as_by_run(
        tmp_path, monkeypatch, capsys, kind, reason_en, reason_fr, command):
    """F11: with FAC_EVAL_NAMES_FILE naming a missing file or a folder, validate said the
    session was valid while run refused, and run's message held the system's "[Errno 2]"."""
    names = tmp_path / "outside" / "noms.txt"
    names.parent.mkdir()
    if kind == "folder":
        names.mkdir()
    elif kind == "latin-1":
        names.write_bytes("Hélène Martin\n".encode("latin-1"))
    elif kind == "device":
        names = Path("/dev/zero")
    elif kind == "fifo":
        import os

        os.mkfifo(names)
    elif kind == "huge":
        with names.open("wb") as f:
            f.truncate(6 * 1024 * 1024)
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(names))
    monkeypatch.setenv("FAC_EVAL_RAW", str(REPO / "data" / "raw"))
    monkeypatch.setenv("FAC_EVAL_PROCESSED", str(tmp_path / "processed"))
    monkeypatch.setenv("FAC_EVAL_REPORTS", str(tmp_path / "reports"))
    for lang, reason in (("en", reason_en), ("fr", reason_fr)):
        code, text = _cli(capsys, command, "2022", "--lang", lang)
        assert code == 1, text
        assert str(names) in text and "FAC_EVAL_NAMES_FILE" in text and reason in text, text
        assert "Errno" not in text and "Traceback" not in text
    # nothing written: no file under the output roots but run's lock (it takes the session's
    # lock before it reads the names)
    assert not [p for root in ("reports", "processed") for p in (tmp_path / root).rglob("*")
                if p.is_file() and p.parent.name != ".fac-eval-locks"]
