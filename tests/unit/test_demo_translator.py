"""The bilingual demo's scripted translator (flows.demo_parties.translated) carries the other language's amendments
and its bracket groups: a bracketed deletion, and a bracketed insertion, as the paragraph now reads them."""

from __future__ import annotations

from flows.demo_parties import translated

EN_8 = (
    "8. Welcome the Convention on the Protection and Use of Transboundary Watercourses and International Lakes, "
    "done at Helsinki in 1992, and invite all States to accede to it;"
)
ES_8 = (
    "8. Tomamos nota del Convenio sobre la Protección y Utilización de los Cursos de Agua Transfronterizos y de los "
    "Lagos Internacionales, hecho en Helsinki en 1992[, e invitamos a los Estados interesados a que consideren la "
    "posibilidad de adherirse a él];"
)


def test_argentinas_bracketed_deletion_is_carried_into_english_as_austrias_words_now_read() -> None:
    [english] = translated({"en": [EN_8], "es": [ES_8]}, "en", [0])
    assert english.endswith("in 1992[, and invite all States to accede to it];")
    [spanish] = translated({"en": [english], "es": [ES_8]}, "es", [0])
    assert spanish.startswith("8. Acogemos con beneplácito el Convenio")
    assert spanish.endswith("en 1992[, e invitamos a todos los Estados a adherirse a él];")


def test_a_bracketed_insertion_is_carried_with_its_words() -> None:
    english = "17. Commit to cooperation for [prevention,] preparedness, response and recovery;"
    spanish = "17. Nos comprometemos en materia de preparación, respuesta y recuperación;"
    [carried] = translated({"en": [english], "es": [spanish]}, "es", [0])
    assert (
        carried
        == "17. Nos comprometemos en materia de [prevención,] preparación, respuesta y recuperación;"
    )
    assert translated({"en": [english], "es": [carried]}, "es", [0]) == [carried]  # nothing twice
