"""Chinese text search shared by the domains: token forms, the database filter and the general-corpus weights."""

from __future__ import annotations

from django.db.models import Q

from digigov.core.text_search import (
    cut,
    idf,
    is_word,
    normalise,
    query_tokens,
    search_tokens_for,
    stored_tokens,
    tfidf_keywords,
    token_filter,
    tokens,
)


def test_words_are_two_characters_or_more_of_cjk_letters_or_digits() -> None:
    assert is_word("餐饮") and is_word("sm4") and is_word("ABC")
    assert not is_word("的") and not is_word("，。") and not is_word("a b")


def test_search_mode_tokens_include_the_parts_of_long_words_sorted_and_distinct() -> None:
    found = tokens("餐饮服务 餐饮服务 许可")
    assert found == sorted(set(found))
    assert {"餐饮", "服务", "许可"} <= set(found)
    assert "饮服" not in found


def test_the_stored_form_is_wrapped_in_spaces_so_a_token_is_a_substring() -> None:
    assert stored_tokens(["餐饮", "许可"]) == " 餐饮 许可 "
    stored = search_tokens_for("食品经营许可", "开办餐饮店")
    assert stored.startswith(" ") and stored.endswith(" ")
    assert " 许可 " in stored


def test_query_tokens_keep_order_drop_repeats_and_single_characters() -> None:
    assert query_tokens("餐饮 的 餐饮 许可") == ["餐饮", "许可"]
    assert query_tokens("的") == []


def test_cut_lowercases_and_strips() -> None:
    assert "abc" in list(cut("ABC 许可"))
    assert normalise("３号线　 停运") == "3号线 停运"


def test_token_filter_needs_every_word_or_any_word() -> None:
    every = token_filter("search_tokens", ["餐饮", "许可"])
    assert every == Q(search_tokens__contains=" 餐饮 ") & Q(search_tokens__contains=" 许可 ")
    either = token_filter("search_tokens", ["餐饮", "许可"], every=False)
    assert either == Q(search_tokens__contains=" 餐饮 ") | Q(search_tokens__contains=" 许可 ")


def test_rare_words_weigh_more_and_keywords_rank_by_tf_idf() -> None:
    assert idf("噪音") > idf("问题")
    assert idf("丽发车贷乱码词") > 0  # unseen: the median
    assert tfidf_keywords(["问题", "噪音", "噪音", "问题"], 1) == ["噪音"]
    assert tfidf_keywords(["噪音", "噪音"], 5) == ["噪音"]
