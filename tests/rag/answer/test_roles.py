"""Sentence roles: what a sentence does in its passage, read from its shape and the lexicon's cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.roles import NEVER_QUOTED, Role, SentenceRoles
from rag.corpus.catalog import Body, Catalog


@pytest.fixture(scope="module")
def roles(lexicon) -> SentenceRoles:
    bodies = {"TCC": Body("TCC", "香港茶業總商會", "Hong Kong Tea Chamber of Commerce", ("茶商會",), ("Tea Chamber",)),
              "HPF": Body("HPF", "海港政策論壇", "Harbour Policy Forum", (), ())}
    return SentenceRoles(lexicon, Catalog(directory=Path("."), bodies=bodies))


@pytest.mark.parametrize("sentence", [
    "資料來源：茶商會研究部整理",
    "Source: Census and Statistics Department",
    "以上資料由香港茶業總商會秘書處編寫，內容僅供內部參考；如有任何查詢，請聯絡研究部。",
    "This note is for internal reference only.",
    "版權所有，不得轉載。",
    "Copyright 2025 Hong Kong Tea Chamber of Commerce. All rights reserved.",
    "電話：2345 6789；傳真：2345 6780",
    "Yours sincerely,",
    "致：行政長官",  # a cover letter's address and salutation
    "Dear Chief Executive,",
    "Chamber survey of tea merchants, May to June 2025 (41 respondents).",
    "Member survey on tea exports (n = 120)",
    "茶商會",  # a body's name alone: the signature under a table
    "Hong Kong Tea Chamber of Commerce",
])
def test_source_lines_disclaimers_copyright_and_signatures_are_boilerplate(roles, sentence: str) -> None:
    assert roles.read(sentence).role in {Role.BOILERPLATE, Role.FRAGMENT}
    assert roles.read(sentence).role is not Role.STATEMENT


@pytest.mark.parametrize("sentence", ["(1)", "二、", "II.", "，並提供租金優惠。", "and a fund for small firms."])
def test_an_enumerator_alone_or_a_piece_starting_mid_sentence_is_a_fragment(roles, sentence: str) -> None:
    assert roles.read(sentence).role is Role.FRAGMENT


def test_a_sentence_that_reports_a_survey_s_size_is_no_caption(roles) -> None:
    assert roles.read("We surveyed 41 respondents and recommend a tea export fund.").role is Role.PROPOSAL


def test_a_labelled_list_item_in_lower_case_is_no_fragment(roles) -> None:
    assert roles.read("(a) the government should set up a tea fund.").role is Role.PROPOSAL


@pytest.mark.parametrize(("sentence", "place"), [
    ("日本於2016年設立茶葉研究所，推動茶葉出口。", "日本"),
    ("近年，新加坡政府推出茶文化旅遊路線。", "新加坡"),
    ("In Singapore, tea houses are listed as heritage.", "Singapore"),
    ("South Korea set up a tea park in 2016.", "South Korea"),
])
def test_background_about_another_place_names_the_place(roles, sentence: str, place: str) -> None:
    reading = roles.read(sentence)
    assert reading.role is Role.ELSEWHERE and reading.place == place


def test_another_place_with_a_proposal_verb_is_the_bodys_proposal(roles) -> None:
    assert roles.read("本會建議參考日本經驗設立茶葉研究所。").role is Role.PROPOSAL
    assert roles.read("Hong Kong should follow Japan and set up a tea institute.").role is Role.PROPOSAL


@pytest.mark.parametrize(("sentence", "who", "suggestion"), [
    ("全國政協副主席陳大文建議香港設立茶葉交易所。", "全國政協副主席陳大文", True),
    ("有意見認為茶葉檢測收費過高。", "", False),
    ("Professor Chan suggested a tea exchange.", "Professor Chan", True),
    ("According to the Tourism Board, tea tours are popular.", "the Tourism Board", False),
    ("Some argue that tea tourism is a niche.", "", False),
    ("亦有會員建議放寬茶葉進口限制；此事不屬本會範疇，本會不作建議。", "", True),  # members, not the body
    ("Some commentators have suggested a levy on imported tea.", "", True),
    ("Other members have also suggested a tea fund.", "", True),
])
def test_another_partys_suggestion_or_view_is_reported_with_the_party(roles, sentence, who, suggestion) -> None:
    reading = roles.read(sentence, body="TCC")
    assert (reading.role, reading.who, reading.suggestion) == (Role.REPORTED, who, suggestion)


@pytest.mark.parametrize("sentence", ["本會建議設立茶葉檢測中心。", "茶商會建議設立茶葉檢測中心。",
                                      "香港茶業總商會建議設立茶葉檢測中心。", "The Tea Chamber recommends a testing centre."])
def test_the_body_naming_itself_is_its_own_proposal(roles, sentence: str) -> None:
    assert roles.read(sentence, body="TCC").role is Role.PROPOSAL


@pytest.mark.parametrize("sentence", ["本學會建議設立茶葉檢測中心。", "本總商會建議設立茶葉檢測中心。",
                                      "敝協會建議設立茶葉檢測中心。", "本聯會認為應設立茶葉檢測中心。"])
def test_this_and_an_organisation_s_noun_is_the_body_itself(roles, sentence: str) -> None:
    # 本 or 敝 with any organisation's noun (學會, 協會, 聯會 …), not only the ones a word list names
    assert roles.read(sentence, body="TCC").role is Role.PROPOSAL


@pytest.mark.parametrize(("sentence", "who"), [("本地商會建議設立茶葉檢測中心。", "本地商會"),
                                               ("本港商會建議設立茶葉檢測中心。", "本港商會")])
def test_local_bodies_are_other_parties(roles, sentence: str, who: str) -> None:
    reading = roles.read(sentence, body="TCC")
    assert reading.role is Role.REPORTED and reading.who == who


def test_a_body_s_name_head_noun_stands_for_it(roles) -> None:
    # "The Forum" is the Harbour Policy Forum in its own paper, another party in the Tea Chamber's
    assert roles.read("The Forum recommends a testing centre.", body="HPF").role is Role.PROPOSAL
    assert roles.read("The Forum recommends a testing centre.", body="TCC").role is Role.REPORTED


@pytest.mark.parametrize(("sentence", "who"), [
    ("中國證監會於今年 4 月公布 5 項措施，當中包括支持內地企業赴港上市。", "中國證監會"),
    ("特區政府去年推出「新型工業化資助計劃」，資助廠商設立智能生產線。", "特區政府"),
    ("金融管理局在2024年施政報告公布後宣布成立專責小組。", "金融管理局"),
    ("The Securities Commission announced five measures in April to support listings.", "The Securities Commission"),
])
def test_a_measure_another_party_announced_is_reported_as_its_measure(roles, sentence: str, who: str) -> None:
    reading = roles.read(sentence, body="TCC")
    assert (reading.role, reading.who, reading.suggestion, reading.measure) == (Role.REPORTED, who, False, True)


@pytest.mark.parametrize("sentence", ["政府應於明年推出茶葉出口資助計劃。",
                                      "政府去年推出茶葉推廣計劃，本會建議延長計劃兩年。",
                                      "本會於去年推出茶藝課程。",
                                      "The Government launched a tea fund last year; we propose extending it.",
                                      "The Tea Chamber launched a tea festival in 2023."])
def test_announcing_with_a_proposal_or_the_bodys_own_measure_is_not_reported(roles, sentence: str) -> None:
    assert roles.read(sentence, body="TCC").role is not Role.REPORTED


def test_another_body_named_in_a_paper_is_reported(roles) -> None:
    reading = roles.read("茶商會建議設立茶葉檢測中心。", body="OTHER")
    assert reading.role is Role.REPORTED and reading.who == "茶商會"


@pytest.mark.parametrize("sentence", ["茶商會提出五大重點倡議及三大建議範疇，懇請政府積極考慮。",
                                      "We put forward the following six recommendations to the Government."])
def test_a_lead_in_announcing_proposals_by_number_is_an_announcement(roles, sentence: str) -> None:
    assert roles.read(sentence, body="TCC").role is Role.ANNOUNCEMENT


def test_a_sentence_ending_in_a_colon_is_a_lead_in(roles) -> None:
    assert roles.read("為此，本會提出以下建議：").role is Role.LEAD_IN
    assert roles.read("We propose the following:").role is Role.LEAD_IN


def test_a_line_broken_mid_sentence_continues_but_a_heading_does_not() -> None:
    continues = SentenceRoles.continues
    assert continues("本會建議政府設立茶葉檢測中心，", "\n", "並提供租金優惠。", 40) is True
    assert continues("香港的幾間大學及公營研究機構在茶", "\n", "葉研究方面屢獲獎項。", 18) is None  # only if it ends
    assert continues("1. 設立茶葉檢測中心", "\n", "本地茶莊多為家族經營。", 60) is False  # a labelled heading
    assert continues("推廣茶文化", "\n", "本地茶莊多為家族經營。", 60) is False  # a short heading
    assert continues("本會建議設立中心。", "\n", "並提供租金優惠。", 20) is False  # the line ended a sentence
    assert continues("本會建議設立中心，", "\n\n", "並提供租金優惠。", 20) is False  # a blank line between


def test_the_party_leaves_out_as_and_adverbs(roles) -> None:
    reading = roles.read("正如習近平主席多次強調，要推動中國製造向中國創造轉變；", body="TCC")
    assert (reading.role, reading.who) == (Role.REPORTED, "習近平主席")


@pytest.mark.parametrize("sentence", ["（二） 工廈改建茶業創業空間", "1) Export Credit Insurance", "(a) Premium Discounts"])
def test_a_short_labelled_line_without_a_sentence_end_is_a_heading_not_a_claim(roles, sentence: str) -> None:
    assert roles.read(sentence).role is Role.FRAGMENT


@pytest.mark.parametrize("sentence", ["Converting Tea Warehouses into Tasting Rooms",
                                      "The Hong Kong Larkfield Association of Tea and Coffee"])
def test_an_english_title_case_line_without_a_sentence_end_states_nothing(roles, sentence: str) -> None:
    """A heading run into a passage, or a paragraph's first line broken off at a wrap in a PDF."""
    assert roles.read(sentence).role is Role.FRAGMENT


@pytest.mark.parametrize("sentence", ["| Tasting Room Grants | HK$12 Million a Year |", "We Propose a Tea Levy.",
                                      "We propose tasting rooms in old warehouses"])
def test_a_table_row_a_finished_sentence_or_a_sentence_case_line_is_no_heading(roles, sentence: str) -> None:
    assert roles.read(sentence).role is not Role.FRAGMENT


def test_a_labelled_proposal_is_no_heading(roles) -> None:
    assert roles.read("（二） 本會建議設立茶葉研究所。").role is Role.PROPOSAL


@pytest.mark.parametrize("sentence", [
    "本會歡迎政府推出低空經濟「監管沙盒」，讓業界在受控環境下試行物流及應急救援等應用。",
    "本会欢迎政府推出低空经济“监管沙盒”，让业界在受控环境下试行物流、应急救援等应用。",
    "We welcome the Government's plan to set up a regulatory centre for medicines and medical devices.",
    "The Chamber warmly welcomes the Financial Secretary's decision to extend the tea levy waiver.",
])
def test_welcoming_another_s_measure_is_an_endorsement_not_a_proposal(roles, sentence: str) -> None:
    from rag.answer.roles import NOT_ITS_OWN

    assert roles.read(sentence, "TCC").role is Role.ENDORSEMENT
    assert Role.ENDORSEMENT in NOT_ITS_OWN and Role.ENDORSEMENT not in NEVER_QUOTED  # its words, but no proposal


@pytest.mark.parametrize("sentence", [
    "歡迎政府將人才清單擴至 51 項專業，有助吸引人才來港，期望政府適時檢討清單內容。",  # … and asks for more
    "本會歡迎政府推出茶葉基金，並建議把資助上限提高至五十萬元。",
    "We welcome the Government's tea fund and hope it will be doubled.",
    "We welcome the Government's tea fund, and it should be doubled.",
    "茶葉出口計劃深受業界歡迎，但一些企業反映申請手續繁複。",  # a measure well received: not the body welcoming
    "Tea houses welcome tourists from the Mainland.",
])
def test_a_welcome_that_also_asks_or_is_not_the_body_s_is_no_endorsement(roles, sentence: str) -> None:
    assert roles.read(sentence, "TCC").role is not Role.ENDORSEMENT


@pytest.mark.parametrize("sentence", ["加強應急救援能力，保障市民安全。", "業界積極響應國家號召，推動綠色轉型。"])
def test_emergency_and_respond_are_no_should(roles, sentence: str) -> None:
    assert roles.read(sentence).role is not Role.PROPOSAL  # 應急 (emergency), 響應 (respond): not 應 (should)


@pytest.mark.parametrize(("sentence", "who"), [
    ("有醫學團體主張向含糖飲品開徵「糖稅」，本會對此有保留，亦不在本函討論。", "有醫學團體"),
    ("有外賣平台提出以無人機送外賣，本會認為言之尚早。", "有外賣平台"),
    ("勞工團體要求大幅調高法定最低工資，本會理解其關注。", "勞工團體"),
    ("亦有市民期望政府再次派發消費券，本會不在本函提出此項要求。", ""),
    ("有智庫建議向進口製成品徵收附加費，本會並不認同。", "有智庫"),  # a party's name shorter than an article's reach
    ("環保團體希望向工廠徵收碳排放費。", "環保團體"),
])
def test_a_group_platform_or_the_public_asking_for_something_is_reported(roles, sentence: str, who: str) -> None:
    reading = roles.read(sentence, "TCC")
    assert reading.role is Role.REPORTED and (not who or reading.who == who)


@pytest.mark.parametrize("sentence", ["本會要求政府在兩年內完成檢討。", "本團體期望政府增撥資源。",
                                      "茶商會建議設立茶葉基金。", "The Tea Chamber proposes a tea fund.",
                                      "It is proposed that the Government double the fund.",  # formal, its own
                                      "A task force should be set up to review the scheme."])
def test_the_body_asking_in_its_own_name_is_its_proposal(roles, sentence: str) -> None:
    assert roles.read(sentence, "TCC").role is not Role.REPORTED


@pytest.mark.parametrize("sentence", [
    "Some groups have proposed a carbon tax on petrol and diesel vehicles to speed up the switch.",
    "Other associations have called for a tea levy; we do not support it.",
    "Several unions demanded a higher minimum wage.",
    "Some environmental groups want a carbon emissions charge on factories.",
    "Many small business owners would like a longer repayment period.",
    "Some legislators have suggested controls on the rents of industrial buildings.",
    # a group named by what it is (capitalised, opening the sentence), one party unnamed, or nobody in particular
    "Labour groups have called for a legal cap on the daily working hours of delivery riders;",
    "Environmental groups want a carbon charge on factories.",
    "A think tank has proposed a surcharge on imported manufactured goods to protect local production;",
    "One academic has suggested a tax on vacant shops.",
    "It has also been suggested that electronic road pricing be extended to goods vehicles in Kowloon.",
    "A number of legislators have proposed a vacancy tax on unsold first-hand flats.",
    "Property agents have asked for a cut in the stamp duty on commercial property transactions;",
])
def test_groups_or_associations_proposing_something_are_reported(roles, sentence: str) -> None:
    assert roles.read(sentence, "TCC").role is Role.REPORTED


@pytest.mark.parametrize("sentence", [
    "Nor do we make any proposal on the low-altitude economy: some members ask about drones, but it is too early.",
    "The Chamber does not support such a levy: it would fall on small traders.",
    "本會對此不作建議。",
    "本会不在本建议书另提建议，但乐见其成。",
    "本會不支持向茶葉徵費，因為會員仍依賴進口茶葉。",
    # a "should" before the decline frames it, proposing nothing
    "本會認為茶葉標準應由業界按市場原則訂定，本意見書不作建議。",
])
def test_the_body_saying_it_proposes_nothing_on_a_topic_is_no_proposal(roles, sentence: str) -> None:
    from rag.answer.roles import NOT_ITS_OWN

    assert roles.read(sentence, "TCC").role is Role.DECLINED and Role.DECLINED in NOT_ITS_OWN


@pytest.mark.parametrize("sentence", [
    "We do not support a levy; instead we propose a grant of HK$5,000 for each shop.",
    "本會不支持徵費，並建議政府為每間茶莊提供五千元資助。",
    # … or after one
    "We propose a grant of HK$5,000 for each shop, but we do not support a levy.",
    "本會建議政府為每間茶莊提供五千元資助，本會並不支持徵費。",
    # … or a "should" after it: what to do instead
    "We do not support a levy; the Government should instead give each shop a grant.",
    "本會不支持徵費，政府應改為每間茶莊提供資助。",
])
def test_a_decline_with_a_proposal_before_or_after_it_is_a_proposal(roles, sentence: str) -> None:
    assert roles.read(sentence, "TCC").role is Role.PROPOSAL
