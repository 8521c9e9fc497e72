"""Schwartz & Hearst abbreviation definitions, on sentences from the corpus and shared/news.

Sentences marked "adapted" are real sentences with their brackets changed to exercise nested,
mismatched or reversed definitions.
"""

import pytest

from pipeline.acronyms import (
    find_abbreviations,
    find_long_form_start,
    is_short_form,
    linked_mentions,
    parenthetical_groups,
    short_form_mentions,
)

# (sentence, short form, long form)
MUST_MATCH = [
    # wire copy sets the short form between commas
    ("The Financial Times, FT, newspaper had record sales.", "FT", "Financial Times"),
    ("Mobil will restructure its Mobil Exploration and Producing Services Inc, MEPSI, to grow.", "MEPSI",
     "Mobil Exploration and Producing Services Inc"),
    # seeds: three definitions in one list, the second one with `in` inside its long form
    ("Facilities like the Shanghai Synchrotron Radiation Facility (SSRF), National Facility for "
     "Protein Science in Shanghai (NFPS), Shanghai Superintense Ultrafast Laser Facility (SULF), and",
     "SSRF", "Shanghai Synchrotron Radiation Facility"),
    ("Facilities like the Shanghai Synchrotron Radiation Facility (SSRF), National Facility for "
     "Protein Science in Shanghai (NFPS), Shanghai Superintense Ultrafast Laser Facility (SULF), and",
     "NFPS", "National Facility for Protein Science in Shanghai"),
    # S&H's long form is the shortest one the letters explain; the ORG span keeps `Shanghai`
    ("Facilities like the Shanghai Synchrotron Radiation Facility (SSRF), National Facility for "
     "Protein Science in Shanghai (NFPS), Shanghai Superintense Ultrafast Laser Facility (SULF), and",
     "SULF", "Superintense Ultrafast Laser Facility"),
    ("China’s National Bureau of Statistics (NBS) recently issued calculation results",
     "NBS", "National Bureau of Statistics"),
    ("by the US Securities Exchange Commission (SEC), which is close to concluding.",
     "SEC", "Securities Exchange Commission"),
    ("the Motion Picture Association of America (MPAA) has said", "MPAA", "Motion Picture Association of America"),
    ("State-owned arms contractor China Aerospace Science and Industry Corp (CASIC) have been delivered",
     "CASIC", "China Aerospace Science and Industry Corp"),
    # no space before the parenthesis
    ("their third win of the 2020-21 Chinese Basketball Association(CBA) season here on Monday.",
     "CBA", "Chinese Basketball Association"),
    # a comma inside the parenthesis ends the short form (S&H)
    ("<Brierley Investments Ltd>, (BIL), for 207.7 mln N.Z. Dlrs.", "BIL", "Brierley Investments Ltd"),
    ("the Saudi Arabian Monetary Agency's (SAMA) deposit rates", "SAMA", "Saudi Arabian Monetary Agency"),
    # lower-case letters inside the short form
    ("the proceedings of the Legislative Council (LegCo) earlier", "LegCo", "Legislative Council"),
    ("According to the Ministry of Science and Technology (MoST), the", "MoST", "Ministry of Science and Technology"),
    # a function word is not where a long form starts (S&H alone gives `of Petroleum ...`)
    ("a member of the Organisation of Petroleum Exporting Countries (OPEC), said",
     "OPEC", "Organisation of Petroleum Exporting Countries"),
    # digits: literal, spelled as a word, or repeating a letter
    ("Senior officials from the Group of Seven (G-7) met", "G-7", "Group of Seven"),
    ("the meetings of Finance Ministers from the Group of Seven (G7) countries", "G7", "Group of Seven"),
    ("Peer-to-peer (P2P) networks are here to stay", "P2P", "Peer-to-peer"),
    ("shares of Minnesota Mining and Manufacturing (3M) rose", "3M", "Minnesota Mining and Manufacturing"),
    # short form first, long form in the parenthesis
    ('"I think it is important that the IOC (International Olympic Committee) members realise',
     "IOC", "International Olympic Committee"),
    ("I've had discussions with the USTA (United States Tennis Association) over a number of years",
     "USTA", "United States Tennis Association"),
    # adapted: nested parentheses
    ("Facilities (like the Shanghai Synchrotron Radiation Facility (SSRF)) opened",
     "SSRF", "Shanghai Synchrotron Radiation Facility"),
    ("the Shanghai Synchrotron Radiation Facility (SSRF (Shanghai Light Source)) opened",
     "SSRF", "Shanghai Synchrotron Radiation Facility"),
    # adapted: mismatched parentheses (a stray closer, an opener never closed on its line)
    ("known as the Shanghai Synchrotron Radiation Facility (SSRF)). Since its completion",
     "SSRF", "Shanghai Synchrotron Radiation Facility"),
    ("an academician at the Chinese Academy of Sciences (CAS\nHe said", "CAS", "Chinese Academy of Sciences"),
    ("a ( stray opener before the Chinese Academy of Sciences (CAS) said", "CAS", "Chinese Academy of Sciences"),
]

# parentheses that define nothing
MUST_NOT_MATCH = [
    "Sales rose in France, UK, and Spain.",  # a list, not a definition
    "higher than the total number made in the previous decade (2010-2019).",
    "securing nearly 20 million yuan ($2.78 million) in contracts",
    "ZHUJI, China, Nov. 9 (Xinhua) -- The Liaoning Flying Leopards overwhelmed the Guangzhou Loong Lions",
    "Alan Douglas Borges de Carvalho (2nd L) of Brazil",
    "Tmall gala celebrates the Double-11 shopping spree. (Photo/Xinhua)",
    "to steadily advance the Code of Conduct (COC) consultations",
    "China urges India to return apprehended soldier ( CGTN ) 10:29",
    "Quarterly profits jumped 76% to $1.13bn (£600m) for the three months",
    "the <Boeing Co> (BA) unit",
]


@pytest.mark.parametrize(("sentence", "short", "long"), MUST_MATCH)
def test_definition_found(sentence, short, long):
    found = {a.short: a for a in find_abbreviations(sentence)}
    assert short in found, found
    definition = found[short]
    assert definition.long == long
    assert sentence[definition.long_start:definition.long_end] == long
    assert sentence[definition.short_start:definition.short_end] == short


@pytest.mark.parametrize("sentence", MUST_NOT_MATCH)
def test_no_definition(sentence):
    assert find_abbreviations(sentence) == []


@pytest.mark.parametrize(("candidate", "expected"), [
    ("SSRF", True), ("MoST", True), ("LegCo", True), ("3M", True), ("G-7", True), ("P2P", True),
    ("Xinhua", False), ("2010-2019", False), ("$2.78 million", False), ("2nd L", False),
    ("S", False), ("ABCDEFGHIJK", False), ("photo", False),
])
def test_short_form_shape(candidate, expected):
    assert is_short_form(candidate) is expected


@pytest.mark.parametrize(("sentence", "short", "long"), [
    ("South Africa's Electricity Supply Commission (Escom) launched a plan.", "Escom", "Electricity Supply Commission"),
    ("The Organisation of Petroleum Exporting Countries (Opec) met.", "Opec", "Organisation of Petroleum Exporting Countries"),
])
def test_an_acronym_written_as_a_word_is_defined_in_brackets(sentence, short, long):
    assert [(a.short, a.long) for a in find_abbreviations(sentence)] == [(short, long)]


@pytest.mark.parametrize("sentence", ["BEIJING, Nov. 9 (Xinhua) -- The talks opened.", "Sales rose in London (Monday)."])
def test_a_word_in_brackets_is_no_acronym_its_neighbours_cannot_spell(sentence):
    assert find_abbreviations(sentence) == []


@pytest.mark.parametrize(("short", "long", "start"), [
    ("SSRF", "like the Shanghai Synchrotron Radiation Facility", 9),
    ("CBA", "season of the Chinese Basketball Association", 14),
    ("B2B", "Business-to-Business", 0),
    ("W3C", "the World Wide Web Consortium", 4),
    ("XYZ", "Shanghai Synchrotron Radiation Facility", None),
])
def test_long_form_start(short, long, start):
    assert find_long_form_start(short, long) == start


def test_parenthetical_groups_tolerate_mismatches():
    text = "a (b (SSRF)) c) d (CAS\ne"
    groups = [(text[o], text[o + 1:c]) for o, c in parenthetical_groups(text)]
    assert ("(", "b (SSRF)") in groups and ("(", "SSRF") in groups
    assert ("(", "CAS") in groups  # unclosed on its line: the word after the opener


def test_short_form_before_its_long_form_is_linked():
    # pd-1104fc1413: the headline uses CBA before the body defines it
    text = ("CBA Roundup: Liaoning beats Guangzhou, Jiangsu edges Tianjin\n"
            "The Liaoning Flying Leopards beat the Guangzhou Loong Lions at the 2020-2021 season of "
            "the Chinese Basketball Association (CBA) league. The CBA's new season opened.")
    mentions = [(text[s:e], d.long) for s, e, d in linked_mentions(text)]
    assert mentions == [("CBA", "Chinese Basketball Association")] * 3
    assert linked_mentions(text)[0][0] == 0


def test_mentions_are_whole_words_only():
    text = "SSRF users, the SSRF's beamlines, SSRF-based work, but not XSSRF or SSRFX."
    assert [text[s:e] for s, e in short_form_mentions(text, "SSRF")] == ["SSRF"] * 3


def test_first_definition_of_a_short_form_wins():
    text = ("the Chinese Super League (CSL) season. Later the Chinese Football Association "
            "Super League (CSL) resumed.")
    assert {d.long for _, _, d in linked_mentions(text)} == {"Chinese Super League"}


@pytest.mark.parametrize(("names", "expected"), [
    (["European Union", "EU"], {"EU": "European Union"}),
    (["State Environmental Protection Agency", "SEPA"], {"SEPA": "State Environmental Protection Agency"}),
    (["Securities and Exchange Commission", "SEC"], {"SEC": "Securities and Exchange Commission"}),
    (["European Council", "EU"], {}),  # letters inside words count only in a definition
    (["Shanghai Municipal Government", "SMIC"], {}),
    (["European Union", "Economic Union", "EU"], {}),  # two names spell it: none is chosen
    (["Eurostat", "EU"], {}),  # one word is no expansion
    (["Ministry of Defence", "MoD"], {"MoD": "Ministry of Defence"}),  # a function word's letter in lower case
])
def test_undefined_short_forms_take_the_one_name_their_initials_spell(names, expected):
    from pipeline.acronyms import initials_expansions

    assert initials_expansions(names, set()) == expected


@pytest.mark.parametrize(("names", "expected"), [
    (["International Business Machines Corp", "IBM"], {"IBM": "International Business Machines Corp"}),
    (["British Petroleum Co PLC", "BP"], {"BP": "British Petroleum Co PLC"}),
    (["Federal Savings and Loan Insurance Corporation", "FSLIC"], {"FSLIC": "Federal Savings and Loan Insurance Corporation"}),
])
def test_initials_may_leave_out_a_final_legal_form(names, expected):
    from pipeline.acronyms import initials_expansions
    from pipeline.organizations import default_lexicons

    assert initials_expansions(names, set(), default_lexicons().legal_forms) == expected


def test_a_defined_short_form_keeps_its_definition():
    from pipeline.acronyms import initials_expansions

    assert initials_expansions(["European Union", "EU"], {"EU"}) == {}
