"""Theme coding of testimonies."""

import pandas as pd
import pytest

from fac_eval.analysis.themes import THEMES, THEMES_BY_CODE, Theme, code_themes, fold_text, theme_counts

CODES = [
    "coaching", "self_confidence", "digital_skills", "professional_network", "motivation",
    "employment", "time_saved", "teamwork",
]


def themes_of(text: str) -> set[str]:
    row = code_themes(pd.Series([text])).iloc[0]
    return {code for code, hit in row.items() if hit}


def test_codebook():
    assert [t.code for t in THEMES] == CODES
    assert all(isinstance(t, Theme) and t.label_fr and t.label_en and t.patterns for t in THEMES)
    assert THEMES_BY_CODE["coaching"].label_fr == "Accompagnement"
    assert THEMES_BY_CODE["time_saved"].label("en") == "Time saved"
    assert THEMES_BY_CODE["teamwork"].label() == "Travail en équipe et collectif"


def test_fold_text():
    assert fold_text("Je me suis sentie ACCOMPAGNÉE") == "je me suis sentie accompagnee"
    assert fold_text("motivé·e·s") == "motivees"
    assert fold_text("motivé.e.s et prêt.e") == "motivees et prete"
    assert fold_text("m’a  aidée\u00a0!") == "m'a aidee !"
    assert fold_text("www.site.fr") == "www.site.fr"  # ordinary dots are kept
    assert fold_text(None) == "" and fold_text(float("nan")) == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Je me suis sentie ACCOMPAGNÉE du début à la fin.", {"coaching"}),
        ("Les temps collectifs m’ont aidée.", {"coaching"}),
        ("Les entretiens individuels avec la formatrice étaient précieux.", {"coaching"}),
        ("Un vrai suivi, une écoute bienveillante.", {"coaching"}),
        ("Le coaching m'a guidée.", {"coaching"}),
        ("Ça m'a remotivée !", {"motivation"}),  # re- forms count as motivation
        ("J'étais démotivé avant.", {"motivation"}),
        ("Je suis motivé·e pour mon projet professionnel.", {"motivation"}),
        ("J'ai repris confiance en moi.", {"self_confidence"}),
        ("Mon estime de soi a grandi, je crois en moi.", {"self_confidence"}),
        ("J'ai appris à créer un site web et à utiliser les réseaux sociaux.", {"digital_skills"}),
        ("Le NUMÉRIQUE ne me fait plus peur, ni l'informatique.", {"digital_skills"}),
        ("J'ai élargi mon réseau et rencontré des entreprises du territoire.",
         {"professional_network"}),
        ("Des partenaires et des contacts utiles.", {"professional_network"}),
        ("J'ai décroché un CDD puis un CDI.", {"employment"}),
        ("Je cherche un emploi, un stage en alternance.", {"employment"}),
        ("Les apprenants m'ont fait gagner beaucoup de temps.", {"time_saved"}),
        ("Un vrai gain de temps au quotidien.", {"time_saved"}),
        ("On a travaillé en équipe, dans l'entraide.", {"teamwork"}),
        ("Le groupe était soudé, on avançait ensemble.", {"teamwork"}),
        ("Il fait beau aujourd'hui.", set()),
        ("J'ai suivi la formation et l'ensemble des modules.", set()),  # verb / "all of"
        ("J'ai rencontré des difficultés.", set()),
        ("Les réseaux sociaux, c'est mon truc.", {"digital_skills"}),  # not networking
        ("", set()),
    ],
)
def test_code_single_texts(text, expected):
    assert themes_of(text) == expected


def test_several_themes_and_missing_text():
    texts = pd.Series(
        {
            "t1": "L'accompagnement m'a redonné confiance et l'envie de trouver un emploi.",
            "t2": None,
            "t3": "Grâce aux apprenants, notre site web nous fait gagner du temps.",
        }
    )
    coded = code_themes(texts)
    assert list(coded.index) == ["t1", "t2", "t3"]
    assert list(coded.columns) == CODES
    assert (coded.dtypes == bool).all()  # noqa: E721 (a Series of dtypes, not a type test)
    assert coded.loc["t1"][lambda s: s].index.tolist() == [
        "coaching", "self_confidence", "motivation", "employment",
    ]
    assert not coded.loc["t2"].any()
    assert coded.loc["t3"][lambda s: s].index.tolist() == ["digital_skills", "time_saved"]


def test_custom_themes():
    custom = (Theme.custom("health", "Santé", "Health", (r"\bsante\b", r"\bmaladi\w*")),)
    coded = code_themes(pd.Series(["Ma SANTÉ d'abord", "rien"]), themes=custom)
    assert coded["health"].tolist() == [True, False]
    assert (custom[0].label("fr"), custom[0].label("en")) == ("Santé", "Health")
    assert (custom[0].label_fr, custom[0].label_en) == ("Santé", "Health")


def test_the_codebook_themes_are_labelled_from_the_catalogs():
    labels = {th.code: (th.label("fr"), th.label("en_GB")) for th in THEMES}
    assert labels["coaching"] == ("Accompagnement", "Coaching and support")
    assert labels["employment"] == ("Emploi et insertion", "Employment")
    assert all(fr and en and fr != en for fr, en in labels.values())


def _testimonies():
    return pd.DataFrame(
        {
            "participant_id": ["A01", "A01", "A02", "A03", "F01", "F02"],
            "population": ["learners"] * 4 + ["founders"] * 2,
            "wave": ["exit", "followup", "exit", "exit", "exit", "exit"],
            "text": [
                "Je me suis sentie accompagnée.",
                "L'accompagnement et les temps collectifs, toujours.",
                "Très motivée, et bien accompagnée par la formatrice.",
                "Rien à signaler.",
                "Gain de temps énorme grâce aux outils.",
                "On a gagné du temps, merci à l'équipe.",
            ],
            "consent_quote": ["yes", "no", "yes", "yes", "no", "yes"],
        }
    )


def test_theme_counts_by_population():
    out = theme_counts(_testimonies())
    assert out.columns.tolist() == [
        "population", "theme", "label_fr", "label_en", "n_testimonies", "n_participants",
        "testimonies_total", "participants_total",
    ]
    assert len(out) == 2 * len(CODES)
    assert out["population"].tolist() == ["founders"] * 8 + ["learners"] * 8
    idx = out.set_index(["population", "theme"])
    # A01 twice and A02 once: 3 testimonies, 2 participants
    assert idx.loc[("learners", "coaching"), "n_testimonies"] == 3
    assert idx.loc[("learners", "coaching"), "n_participants"] == 2
    assert idx.loc[("learners", "coaching"), "testimonies_total"] == 4
    assert idx.loc[("learners", "coaching"), "participants_total"] == 3
    assert idx.loc[("learners", "motivation"), "n_participants"] == 1
    assert idx.loc[("learners", "time_saved"), "n_testimonies"] == 0
    assert idx.loc[("founders", "time_saved"), "n_testimonies"] == 2
    assert idx.loc[("founders", "time_saved"), "n_participants"] == 2
    assert idx.loc[("founders", "digital_skills"), "n_participants"] == 1
    assert idx.loc[("founders", "coaching"), "n_participants"] == 1  # "l'équipe"
    assert idx.loc[("founders", "coaching"), "label_en"] == "Coaching and support"


def test_theme_counts_overall_and_other_grouping():
    df = _testimonies()
    overall = theme_counts(df, by=None)
    assert "population" not in overall.columns
    assert overall["theme"].tolist() == CODES
    row = overall.set_index("theme").loc["coaching"]
    assert (row["n_testimonies"], row["n_participants"]) == (4, 3)
    assert (row["testimonies_total"], row["participants_total"]) == (6, 5)

    by_wave = theme_counts(df, by=["population", "wave"]).set_index(
        ["population", "wave", "theme"])
    assert by_wave.loc[("learners", "followup", "coaching"), "n_testimonies"] == 1
    assert by_wave.loc[("learners", "exit", "coaching"), "n_participants"] == 2


def test_theme_counts_without_ids_and_errors():
    df = _testimonies().drop(columns="participant_id")
    out = theme_counts(df)
    assert out["n_participants"].isna().all()
    assert out.set_index(["population", "theme"]).loc[("learners", "coaching"),
                                                      "n_testimonies"] == 3
    with pytest.raises(KeyError):
        theme_counts(df, text_column="texte")
    with pytest.raises(KeyError):
        theme_counts(df, by="site")
