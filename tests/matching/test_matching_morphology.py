"""Russian inflection through pymorphy3."""

from __future__ import annotations

from matching.morphology import forms, lemmas


def test_inflected_forms_share_a_lemma() -> None:
    assert lemmas("демографии") & lemmas("демография")
    assert lemmas("кванториума") & lemmas("кванториум")
    assert lemmas("точке") & lemmas("точка")
    assert lemmas("молодёжи") & lemmas("молодежь")


def test_yo_and_ye_are_the_same() -> None:
    assert lemmas("ребёнка") == lemmas("ребенка")


def test_lemma_lookup_is_cached() -> None:
    lemmas.cache_clear()
    lemmas("проекта")
    lemmas("проекта")
    assert lemmas.cache_info().hits >= 1


def test_forms_include_suppletive_ones() -> None:
    assert "нас" in forms("мы")
