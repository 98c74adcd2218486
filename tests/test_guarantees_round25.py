"""Issue 10, attacker round 25: bad input named as what it is.

F18. a generated session relabelled ``data_kind: real`` (its ``generator`` / ``seed`` kept) was
     published as real data: ``validate`` and ``run`` refuse those keys outside a synthetic
     session, with file, line, key, value and what was expected.
"""

from __future__ import annotations

import re

import pytest
from _guarantees import make_project, run_cli


def _set_kind(session_dir, kind):
    path = session_dir / "session.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^data_kind: .*$", f"data_kind: {kind}", text), encoding="utf-8")


def _line_of(path, key):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return n
    raise AssertionError(key)


# ---- F18 ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, shown", [("real", "real"), ("reconstructed", "reconstructed"),
                                         ("réelle", "real"), ("Reconstituées", "reconstructed")])
def test_a_generated_session_relabelled_is_refused_with_both_keys(tmp_path, monkeypatch, capsys,
                                                                  kind, shown):
    p = make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    (p.raw / "synth-2024").rename(p.raw / "real1")
    _set_kind(p.raw / "real1", kind)
    yml = p.raw / "real1" / "session.yml"
    code, out, err = run_cli(capsys, "validate", "real1")
    text = out + err
    assert code == 1
    kind_line = _line_of(yml, "data_kind")
    for key, value in (("generator", "fac_eval.synth"), ("seed", "2024")):
        line = _line_of(yml, key)
        assert (f"session.yml, ligne {line}, clé « {key} » : clé d'une session générée, "
                f"valeur « {value} »") in text
        assert (f"data_kind: {shown} (ligne {kind_line})") in text
    assert "data_kind: synthetic" in text


@pytest.mark.parametrize("keys", [("seed",), ("generator",)])
def test_one_generated_key_alone_is_refused_in_english_too(tmp_path, monkeypatch, capsys, keys):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    yml = p.raw / "2022" / "session.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "".join(
        {"seed": "seed: 7\n", "generator": "generator: my_script\n"}[k] for k in keys),
        encoding="utf-8")
    code, out, err = run_cli(capsys, "--lang", "en", "validate", "2022")
    text = out + err
    assert code == 1
    value = {"seed": "7", "generator": "my_script"}[keys[0]]
    line = _line_of(yml, keys[0])
    assert (f'session.yml, line {line}, key "{keys[0]}": key of a generated session, value '
            f'"{value}"') in text
    assert f"no {keys[0]} key: only fac-eval synth writes it" in text
    assert "data_kind: reconstructed" in text


def test_the_shipped_synthetic_session_still_validates(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    code, out, err = run_cli(capsys, "validate", "synth-2024")
    assert code == 0, out + err
    assert "generator" not in out + err


def test_run_refuses_a_relabelled_session_and_leaves_the_outputs(tmp_path, monkeypatch, capsys):
    p = make_project(tmp_path, monkeypatch, sessions=("synth-2024",))
    _set_kind(p.raw / "synth-2024", "real")
    p.previous_outputs("synth-2024")
    before = p.snapshot()
    code, out, err = run_cli(capsys, "run", "synth-2024")
    assert code == 1
    assert "clé « seed » : clé d'une session générée" in out + err
    assert p.snapshot() == before


@pytest.mark.parametrize("content", ["", "\n\n", "# nobody yet\n"])
def test_a_names_file_without_names_is_said_once_not_as_missing(tmp_path, monkeypatch, capsys,
                                                               content):
    p = make_project(tmp_path, monkeypatch, sessions=("2022",))
    _set_kind(p.raw / "2022", "real")
    names = tmp_path / "noms.txt"
    names.write_text(content, encoding="utf-8")
    monkeypatch.setenv("FAC_EVAL_NAMES_FILE", str(names))
    code, out, err = run_cli(capsys, "validate", "2022")
    text = out + err
    assert code == 0, text
    assert f"Le fichier de noms {names} (indiqué par FAC_EVAL_NAMES_FILE) ne contient aucun nom" \
        in text
    assert "sans fichier de noms (FAC_EVAL_NAMES_FILE)" not in text
    monkeypatch.delenv("FAC_EVAL_NAMES_FILE")
    code, out, err = run_cli(capsys, "validate", "2022")
    assert "2022 : aucune liste de noms n'a été vérifiée : sans fichier de noms" in out + err
