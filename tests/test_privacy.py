"""Small cells, scrubbing, leak scan, identifier detection and pseudonymisation."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fac_eval.data.pseudonym_files import pseudonymise_file
from fac_eval.disclosure.privacy import (
    KeyInRepositoryError,
    KeyMissingError,
    Leak,
    LeakError,
    check_no_leaks,
    direct_identifier_columns,
    find_leaks,
    generate_key,
    identifier_kind,
    is_breakdown_safe,
    load_key,
    looks_like_email,
    looks_like_phone,
    normalise_identifier,
    pseudonym,
    pseudonymise,
    scrub_text,
    suppress_small_cells,
)

KEY = b"test-key-0123456789abcdef"

# ============================================================================ small cells


def _table():
    return pd.DataFrame(
        {"category": ["a", "b", "c", "d"], "n": [2, 5, 6, 0], "m": [4, 4, 1, 0]}
    ).set_index("category")


def test_small_cells_primary_and_complementary():
    res = suppress_small_cells(_table(), ["n", "m"])
    t = res.table
    # primary: 0 < count < 3
    assert t.loc["a", "n"] == "< 3"
    assert t.loc["c", "m"] == "< 3"
    # complementary: next-smallest non-zero cell of the same column
    assert t.loc["b", "n"] == "masqué"
    assert t.loc["a", "m"] == "masqué"  # 4 and 4 tie: first row
    # shown counts are ints, zeros are shown
    assert t.loc["c", "n"] == 6 and isinstance(t.loc["c", "n"], int)
    assert t.loc["d", "n"] == 0 and t.loc["d", "m"] == 0
    assert t.loc["b", "m"] == 4
    assert res.mask.to_dict() == {
        "n": {"a": True, "b": True, "c": False, "d": False},
        "m": {"a": True, "b": False, "c": True, "d": False},
    }
    assert res.table.attrs["suppression"] == {
        "min_cell": 3,
        "primary": [("a", "n"), ("c", "m")],
        "full_group": [],
        "complementary": [("b", "n"), ("a", "m")],
    }
    # tuple unpacking works and the input is untouched
    table, mask = res
    assert int(mask.to_numpy().sum()) == 4
    assert _table().equals(_table()) and _table().loc["a", "n"] == 2


def test_small_cells_english_threshold_and_no_complement_needed():
    df = pd.DataFrame({"k": [1, 2, 5]}, index=["x", "y", "z"])
    res = suppress_small_cells(df, "k", min_cell=3, lang="en")
    # two hidden cells already: no complementary suppression
    assert res.table["k"].tolist() == ["< 3", "< 3", 5]
    # with min_cell=5 the two hidden cells sum to 3 < 5: the remainder (known by subtraction)
    # would tell too much, so the 5 is hidden too
    res5 = suppress_small_cells(df, "k", min_cell=5, lang="en")
    assert res5.table["k"].tolist() == ["< 5", "< 5", "hidden"]
    res1 = suppress_small_cells(pd.DataFrame({"k": [1, 4, 5]}), "k", lang="en")
    assert res1.table["k"].tolist() == ["< 3", "hidden", 5]


def test_small_cells_complement_falls_back_to_zero():
    # only zeros are left: all of them are hidden (one hidden 0 next to shown zeros would tell
    # where the small count is) — documented change of the complementary rule
    df = pd.DataFrame({"k": [2, 0, 0]}, index=["x", "y", "z"])
    res = suppress_small_cells(df, ["k"])
    assert res.table["k"].tolist() == ["< 3", "masqué", "masqué"]


def test_small_cells_totals_not_known():
    df = pd.DataFrame({"k": [1, 4, 5]})
    res = suppress_small_cells(df, ["k"], totals_known=False)
    assert res.table["k"].tolist() == ["< 3", 4, 5]


def test_small_cells_total_column_and_row_are_never_suppressed():
    df = pd.DataFrame(
        {
            "label": ["RQTH", "Sans RQTH", "Total"],
            "women": [1, 3, 4],
            "men": [5, 0, 5],
            "total": [6, 3, 9],
        },
        index=["rqth", "no_rqth", "total"],
    )
    res = suppress_small_cells(df, ["women", "men", "total"], total_column="total",
                               total_row="total")
    t = res.table
    assert t.loc["total"].tolist() == ["Total", 4, 5, 9]
    assert t["total"].tolist() == [6, 3, 9]
    assert t["label"].tolist() == ["RQTH", "Sans RQTH", "Total"]
    # women: 1 hidden -> complement 3 in the column; row rqth: complement 5 across the row;
    # then men has a single hidden cell -> its other non-hidden cell (0) is hidden too
    assert t.loc["rqth", "women"] == "< 3"
    assert t.loc["no_rqth", "women"] == "masqué"
    assert t.loc["rqth", "men"] == "masqué"
    assert t.loc["no_rqth", "men"] == "masqué"
    assert list(res.mask.columns) == ["women", "men"]


def test_suppress_zeros_option():
    df = pd.DataFrame({"k": [0, 4, 5]})
    assert suppress_small_cells(df, ["k"]).table["k"].tolist() == [0, 4, 5]
    assert suppress_small_cells(df, ["k"], suppress_zeros=True).table["k"].tolist() == [
        "< 3", "masqué", 5,
    ]


def test_is_breakdown_safe():
    assert is_breakdown_safe(pd.DataFrame({"k": [0, 3, 5]}), "k")
    assert not is_breakdown_safe(pd.DataFrame({"k": [2, 6]}), "k")
    assert not is_breakdown_safe(pd.DataFrame({"k": [0, 3]}), ["k"], suppress_zeros=True)
    assert is_breakdown_safe(pd.DataFrame({"k": [2, 6]}), "k", min_cell=2)


def test_small_cells_rejects_bad_input():
    with pytest.raises(ValueError):
        suppress_small_cells(pd.DataFrame({"k": [-1, 4]}), "k")
    with pytest.raises(KeyError):
        suppress_small_cells(pd.DataFrame({"k": [1, 4]}), "nope")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=2, max_size=6))
def test_no_column_has_a_single_hidden_cell(rows):
    df = pd.DataFrame(rows, columns=["x", "y"])
    res = suppress_small_cells(df, ["x", "y"])
    for col in ["x", "y"]:
        hidden = int(res.mask[col].sum())
        assert hidden != 1 or len(df) == 1
        for value, shown in zip(df[col], res.table[col]):
            if 0 < value < 3:
                assert shown == "< 3"
            elif shown not in ("masqué",):
                assert shown == value


# ============================================================================ scrubbing


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "04 74 12 34 56",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "06\u00a012\u00a034\u00a056\u00a078",
    ],
)
def test_scrub_phone_formats(phone):
    assert scrub_text(f"Appelez-moi au {phone}, merci.") == (
        "Appelez-moi au [téléphone masqué], merci."
    )
    assert looks_like_phone(phone)


def test_scrub_email_names_ids():
    text = (
        "Merci à ZOÉ Martin (zoe.martin@exemple.fr) et à zoe ! "
        "Léo-Paul aussi. A01 et a01 mais pas A010 ni XA01."
    )
    out = scrub_text(text, names=["Zoé Martin", "Zoe", "Leo Paul"], participant_ids=["A01"])
    assert out == (
        "Merci à [nom masqué] ([courriel masqué]) et à [nom masqué] ! "
        "[nom masqué] aussi. [identifiant masqué] et [identifiant masqué] mais pas A010 ni XA01."
    )


def test_scrub_english_and_accents_in_decomposed_form():
    decomposed = "Zoe\u0301 a appele\u0301."  # "Zoé" written with a combining accent
    assert scrub_text(decomposed, names=["ZOÉ"]) == "[nom masqué] a appele\u0301."
    assert scrub_text("Mail: a.b@c.org", lang="en") == "Mail: [email removed]"
    assert scrub_text("Tel 0612345678", lang="en") == "Tel [phone number removed]"


def test_scrub_names_are_whole_words():
    assert scrub_text("Annabelle et Anna", names=["Anna"]) == "Annabelle et [nom masqué]"
    assert scrub_text("L’équipe de Rose", names=["rose"]) == "L’équipe de [nom masqué]"


def test_scrub_leaves_ordinary_figures():
    text = (
        "En 2022, 7 sur 8 (88 %), 12 500 € de CA, le 14/03/2022, 14.03.2022, "
        "p = 0,039, IC 95 % : 47–100 %, +12 500 €, 1 234 567 €, 3 mois, 24 mois."
    )
    assert scrub_text(text, names=["Marie"], participant_ids=["A01"]) == text


def test_scrub_missing_text():
    assert scrub_text(None) is None


def test_looks_like():
    assert looks_like_email("Zoe.Martin@exemple.fr")
    assert looks_like_email("  a+b@sub.domaine.org ")
    assert not looks_like_email("zoe.martin@")
    assert not looks_like_email("zoe martin")
    assert not looks_like_email(12)
    assert looks_like_phone(612345678)  # leading 0 dropped by a spreadsheet
    assert looks_like_phone(33612345678)
    assert not looks_like_phone(12500)
    assert not looks_like_phone(2022)
    for v in ["2022", "12 500", "14/03/2022", "0,039", "88 %", "1234567", "12500"]:
        assert not looks_like_phone(v), v


# ============================================================================ leak scan


def test_find_leaks_in_html():
    html = (
        "<!DOCTYPE html><html><head><title>Rapport</title>"
        "<style>.a{color:#A01B2C} .b{color:#A01}</style>"
        '<script>/*! lib by dev@example.org */ var x = "A01";</script></head><body>'
        '<h1 class="A01" id="A01">Résultats 2022</h1>'
        "<p>12\u202f500\u00a0€ gagnés, 7 sur 8 (88\u00a0%), p\u00a0=\u00a00,039,"
        " le 14/03/2022, +12\u202f500\u00a0€.</p>"
        '<img alt="Portrait de Zoé" src="data:image/png;base64,'
        "QTAxIFpvw6kgMDYxMjM0NTY3OCB6b2VAZXhlbXBsZS5mcg==" + "A" * 200 + '">'
        "<p>Identifiant A010, code A01B2C.</p>"
        '<p title="Contact : 06 12 34 56 78">texte</p>'
        "<p>Participante <b>A01</b> : écrire à <a href=\"mailto:zoe@exemple.fr\">elle</a></p>"
        "</body></html>"
    )
    leaks = find_leaks(html, participant_ids=["A01"], names=["Zoé"])
    assert [(lk.kind, lk.value) for lk in leaks] == [
        ("name", "Zoé"),
        ("phone", "06 12 34 56 78"),
        ("participant_id", "A01"),
        ("email", "zoe@exemple.fr"),
    ]
    assert all(isinstance(lk, Leak) for lk in leaks)
    assert "Portrait de Z••" in leaks[0].context  # the context is masked too
    assert "Zoé" not in leaks[0].context
    # scripts can be included on request
    kinds = [(lk.kind, lk.value) for lk in find_leaks(html, ["A01"], scan_scripts=True)]
    assert ("email", "dev@example.org") in kinds


def test_find_leaks_inline_markup_and_entities():
    html = "<p>Merci <b>Zo</b>&eacute; et <span>Ma</span>rie&nbsp;!</p>"
    found = find_leaks(html, names=["Zoé", "Marie"])
    assert [(lk.kind, lk.value) for lk in found] == [("name", "Zoé"), ("name", "Marie")]


def test_find_leaks_clean_report_and_plain_text():
    clean = "<html><body><p>7 sur 8 (88\u00a0%) en 2022.</p></body></html>"
    assert find_leaks(clean, ["A01", "A02"], ["Zoé"]) == []
    check_no_leaks(clean, ["A01"], ["Zoé"])  # does not raise
    text = "data:image/png;base64,QTAxIHpvZUBleC5mcg== puis A02 et " + "QTAx" * 40
    assert [(lk.kind, lk.value) for lk in find_leaks(text, ["A01", "A02"])] == [
        ("participant_id", "A02")
    ]


def test_numeric_ids_are_not_searched():
    with pytest.warns(UserWarning):
        assert find_leaks("3 sur 8", participant_ids=["3"]) == []


def test_leak_error_message():
    with pytest.raises(LeakError) as err:
        check_no_leaks("Zoé : 06 12 34 56 78, A01, zoe@ex.fr", ["A01"], ["Zoé"],
                       source="rapport.html")
    msg = str(err.value)
    assert "Données personnelles trouvées dans le rapport (rapport.html)" in msg
    assert "Personal data found in the report (rapport.html)" in msg
    # the message masks what it found (it may be pasted in a ticket)
    for part in ["nom « Z•• »", "numéro de téléphone « 0• •• •• •• •• »",
                 "identifiant de participant « A•• »", "courriel « z••@••.•• »",
                 "name 'Z••'", "phone number '0• •• •• •• ••'", "participant id 'A••'",
                 "e-mail 'z••@••.••'"]:
        assert part in msg
    for secret in ["Zoé", "06 12 34 56 78", "A01", "zoe@ex.fr"]:
        assert secret not in msg
    assert len(err.value.leaks) == 4
    assert err.value.message("en").startswith("Personal data found in the report (rapport.html)")
    assert "Données" not in err.value.message("en")
    assert err.value.message().startswith("Données personnelles")


# ============================================================================ identifiers


def test_direct_identifier_columns():
    cols = [
        "learner_id", "Nom", "Prénom", "PRENOM", "Name", "First name", "Last Name", "E-mail",
        "email", "Courriel", "mail", "Adresse mail", "Téléphone", "telephone", "Tél.", "phone",
        "Portable", "Adresse", "Address", "N° de sécurité sociale", "NIR", "Date de naissance",
        "Nombre de mois sans emploi", "Nom de l'entreprise", "Ordinateur portable",
        "Identifiant apprenant", "Statut", "Nom du porteur de projet", "gender", "rqth",
    ]
    assert direct_identifier_columns(cols) == [
        "Nom", "Prénom", "PRENOM", "Name", "First name", "Last Name", "E-mail", "email",
        "Courriel", "mail", "Adresse mail", "Téléphone", "telephone", "Tél.", "phone",
        "Portable", "Adresse", "Address", "N° de sécurité sociale", "NIR", "Date de naissance",
        "Nom du porteur de projet",
    ]
    assert identifier_kind("Adresse mail") == "email"
    assert identifier_kind("Adresse") == "address"
    assert identifier_kind("Tél. portable") == "phone"
    assert identifier_kind("numéro de sécurité sociale") == "national_id"
    assert identifier_kind("Prénom") == "name"
    assert identifier_kind("Nombre") is None


# ============================================================================ pseudonyms


def test_pseudonym_is_stable_and_normalised():
    pid = pseudonym("Zoé Martin", KEY)
    assert re.fullmatch(r"P[0-9a-f]{10}", pid)
    assert pseudonym("  zoe   MARTIN ", KEY) == pid
    assert pseudonym("Martin Zoé", KEY) == pid  # word order does not matter for names
    assert pseudonym("Zoé Martin", b"another-key-0123456789") != pid
    assert pseudonym("Zoé Martine", KEY) != pid
    assert pseudonym("Zoé Martin", KEY, prefix="L", length=8).startswith("L")
    assert len(pseudonym("Zoé Martin", KEY, prefix="L", length=8)) == 9
    assert pseudonym("Zoe.Martin@Exemple.fr", KEY) == pseudonym("zoe.martin@exemple.fr", KEY)
    assert normalise_identifier("  Zoé  MARTIN-Durand ") == "durand martin zoe"
    assert normalise_identifier("Zoé.Martin@Exemple.FR") == "zoe.martin@exemple.fr"
    # known value (HMAC-SHA256 of "martin zoe" with KEY): guards against silent changes
    import hashlib
    import hmac

    expected = hmac.new(KEY, b"martin zoe", hashlib.sha256).hexdigest()[:10]
    assert pid == "P" + expected


def test_pseudonymise_dataframe():
    df = pd.DataFrame({"who": ["Zoé Martin", None, "zoe martin"], "score": [1, 2, 3]})
    out = pseudonymise(df, ["who"], KEY)
    assert out["who"][0] == out["who"][2] == pseudonym("Zoé Martin", KEY)
    assert pd.isna(out["who"][1])
    assert out["score"].tolist() == [1, 2, 3]
    assert df["who"][0] == "Zoé Martin"  # input untouched


def test_load_key_from_environment(monkeypatch):
    monkeypatch.setenv("FAC_EVAL_KEY", "  a-long-enough-secret-key \n")
    assert load_key() == b"a-long-enough-secret-key"
    monkeypatch.setenv("OTHER_KEY", "x" * 16)
    assert load_key("OTHER_KEY") == b"x" * 16


def test_load_key_missing(monkeypatch):
    monkeypatch.delenv("FAC_EVAL_KEY", raising=False)
    monkeypatch.delenv("FAC_EVAL_KEY_FILE", raising=False)
    with pytest.raises(KeyMissingError) as err:
        load_key()
    msg = str(err.value)
    assert "Aucune clé de pseudonymisation" in msg
    assert "No pseudonymisation key" in msg
    assert "FAC_EVAL_KEY" in msg


def test_load_key_too_short(monkeypatch):
    monkeypatch.setenv("FAC_EVAL_KEY", "short")
    with pytest.raises(KeyMissingError, match="trop courte"):
        load_key()


def test_load_key_file(tmp_path, monkeypatch):
    monkeypatch.delenv("FAC_EVAL_KEY", raising=False)
    key = generate_key()
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    kf = tmp_path / "secrets" / "fac.key"
    kf.parent.mkdir()
    kf.write_text(key + "\n")
    assert load_key(key_file=kf) == key.encode()
    monkeypatch.setenv("FAC_EVAL_KEY_FILE", str(kf))
    assert load_key() == key.encode()
    with pytest.raises(KeyMissingError, match="introuvable"):
        load_key(key_file=tmp_path / "nope.key")


def test_load_key_file_inside_a_repository_is_refused(tmp_path):
    repo = tmp_path / "project"
    (repo / ".git").mkdir(parents=True)
    kf = repo / "config" / "key.txt"
    kf.parent.mkdir()
    kf.write_text("x" * 32)
    with pytest.raises(KeyInRepositoryError) as err:
        load_key(key_file=kf)
    assert "dans le dépôt" in str(err.value) and "inside the repository" in str(err.value)
    assert isinstance(err.value, KeyMissingError)


# ============================================================================ files


def test_pseudonymise_csv_cp1252_semicolon(tmp_path):
    src = tmp_path / "entree.csv"
    src.write_bytes(
        (
            "Prénom;Nom;E-mail;Téléphone;Adresse;ses_01\r\n"
            "Zoé;Martin;Zoe.Martin@exemple.fr;06 12 34 56 78;1 rue X;3\r\n"
            "Léo;Durand;;0612345678;;04\r\n"
            ";;;;;\r\n"
        ).encode("cp1252")
    )
    dst = tmp_path / "out" / "learners_entry.csv"
    summary = pseudonymise_file(src, dst, KEY)
    assert summary.name_columns == ["Prénom", "Nom"]
    assert summary.email_columns == ["E-mail"]
    assert summary.dropped_columns == ["Téléphone", "Adresse"]
    assert summary.removed_columns == ["Prénom", "Nom", "E-mail", "Téléphone", "Adresse"]
    assert (summary.n_rows, summary.n_without_id) == (2, 0)
    text = dst.read_text(encoding="utf-8-sig")
    zoe = pseudonym("Zoé Martin", KEY)  # always the full name, e-mail or not
    leo = pseudonym("Léo Durand", KEY)
    assert text.splitlines() == ["participant_id;ses_01", f"{zoe};3", f"{leo};04"]
    assert find_leaks(text, names=["Zoé", "Martin", "Léo", "Durand"]) == []
    assert str(summary).splitlines() == [
        f"Fichier écrit : {dst} (2 lignes).",
        "Colonne « participant_id » : identifiants calculés à partir du nom complet (Prénom, "
        "Nom) ; une même personne reçoit le même identifiant dans tous les fichiers "
        "pseudonymisés avec cette clé.",
        "Colonnes retirées : Prénom, Nom, E-mail, Téléphone, Adresse.",
    ]
    assert summary.describe("en").splitlines()[0] == f"Written: {dst} (2 rows)."


def test_pseudonymise_csv_utf8_bom_comma(tmp_path):
    src = tmp_path / "a.csv"
    src.write_bytes("\ufeffNom,Courriel,score\nZoé Martin,zoe@ex.fr,5\n".encode())
    dst = tmp_path / "b.csv"
    pseudonymise_file(src, dst, KEY, id_column="learner_id")
    assert dst.read_text(encoding="utf-8-sig").splitlines() == [
        "learner_id,score",
        f"{pseudonym('Zoé Martin', KEY)},5",
    ]


def test_pseudonymise_tab_and_explicit_columns(tmp_path):
    src = tmp_path / "t.csv"
    src.write_text("Qui\tRemarque\nZoé Martin\tbien\n", encoding="utf-8")
    dst = tmp_path / "t_out.csv"
    s = pseudonymise_file(src, dst, KEY, columns=["Qui"])
    assert s.name_columns == ["Qui"]
    assert dst.read_text(encoding="utf-8-sig").splitlines() == [
        "participant_id\tRemarque", f"{pseudonym('Zoé Martin', KEY)}\tbien",
    ]


def test_pseudonymise_xlsx(tmp_path):
    src = tmp_path / "in.xlsx"
    with pd.ExcelWriter(src, engine="openpyxl") as w:
        pd.DataFrame(
            {"Nom": ["Martin", "Durand"], "Prénom": ["Zoé", "Léo"], "Tél": ["0612345678", None],
             "Commentaire": ["ok", "joindre au 06 11 22 33 44"], "score": [3, 4]}
        ).to_excel(w, sheet_name="Réponses", index=False)
        pd.DataFrame({"code": [1, 2], "libellé": ["Oui", "Non"]}).to_excel(
            w, sheet_name="Codes", index=False)
    dst = tmp_path / "out.xlsx"
    s = pseudonymise_file(src, dst, KEY)
    assert s.sheets == ["Réponses"]
    assert s.suspicious_columns == ["Commentaire"]
    out = pd.read_excel(dst, sheet_name=None)
    assert list(out) == ["Réponses", "Codes"]
    assert out["Réponses"].columns.tolist() == ["participant_id", "Commentaire", "score"]
    assert out["Réponses"]["participant_id"].tolist() == [
        pseudonym("Zoé Martin", KEY), pseudonym("Léo Durand", KEY)
    ]
    assert out["Codes"]["libellé"].tolist() == ["Oui", "Non"]


def test_pseudonymise_file_refusals(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("id,score\nA01,3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no identifier column"):
        pseudonymise_file(src, tmp_path / "y.csv", KEY)
    with pytest.raises(ValueError, match="another path"):
        pseudonymise_file(src, src, KEY)


def test_pseudonymise_file_without_rows(tmp_path):
    src = tmp_path / "empty.csv"
    src.write_text("Nom;score\n", encoding="utf-8")
    s = pseudonymise_file(src, tmp_path / "empty_out.csv", KEY)
    assert (s.n_rows, s.name_columns) == (0, ["Nom"])
    assert (tmp_path / "empty_out.csv").read_text(encoding="utf-8-sig").splitlines() == [
        "participant_id;score"
    ]
