"""Names the text presents as products, brands, platforms, indexes or rates are not ORG."""

import re

import pytest

from pipeline.organizations import default_lexicons
from pipeline.products import product_mentions


def products(text: str, names: list[str]) -> list[str]:
    mentions = []
    for name in names:
        start = text.index(name)
        mentions.append((start, start + len(name)))
    return sorted(text[s:e] for s, e in product_mentions(text, mentions, default_lexicons()))


@pytest.mark.parametrize(("text", "names", "expected"), [
    ("Ryanair bought five Boeing 737s from Boeing Co.", ["Boeing"], ["Boeing"]),  # model number
    ("China Eastern will buy twenty Airbus A320 jets.", ["Airbus"], ["Airbus"]),
    ("Boeing delivered 30 jets in 2005.", ["Boeing"], []),  # the company acting
    ("Boeing 2005 profits rose.", ["Boeing"], []),  # a year is no model number
    ("Apple added the nano to the iPod line. The iPod sold well.", ["iPod"], ["iPod"]),
    ("Boeing claims it is better than previous Boeing models.", ["Boeing"], []),  # the maker
    ("Shoppers flocked to sports car brand Porsche this year.", ["Porsche"], ["Porsche"]),
    ("According to Tmall, Alibaba's e-commerce platform, sales rose.", ["Tmall"], ["Tmall"]),
    ("The FTSE 100 fell 2% while Libor rose.", ["FTSE 100", "Libor"], ["FTSE 100", "Libor"]),
    ("The Dow Jones index fell 300 points.", ["Dow Jones"], ["Dow Jones"]),
    ("Dow Jones & Co said profits rose.", ["Dow Jones"], []),  # designator: the company
    ("Porsche AG, the sports car brand, said.", ["Porsche"], []),
    ("Toyota sold 10 percent more cars.", ["Toyota"], []),
    ("The program costs $99 (USD) to join.", ["USD"], ["USD"]),  # a currency code
    ("First Airbus A380 delivered to Singapore Airlines.", ["First Airbus A380"], ["First Airbus A380"]),
    ("Brent was valued at 18.89 dlrs and Arab Light rose.", ["Brent", "Arab Light"], ["Arab Light", "Brent"]),  # crude grades
    ("Sour crudes, such as Kern River, rose.", ["Kern River"], ["Kern River"]),  # listed as crudes
    ("He won at the ITTF Men's World Cup and Argentina topped Group A.", ["ITTF Men", "Group A"], ["Group A", "ITTF Men"]),  # events
    ("The Conservatives 44 and the Centre Party 37.", ["Conservatives", "Centre Party"], []),  # seats, no models
    ("In a radio interview, 50 Cent said he was disloyal.", ["Cent"], ["Cent"]),  # a currency word after a number
])
def test_product_mentions(text, names, expected):
    assert products(text, names) == expected


@pytest.mark.parametrize(("text", "names", "expected"), [
    ("Buyers who had purchased an iPod. The iPod sold well.", ["iPod"], ["iPod"]),
    ("An Airbus spokesman said the order was firm.", ["Airbus"], []),  # the name modifies a noun
    ("Sony horror film The Grudge topped the chart.", ["The Grudge"], ["The Grudge"]),
    ("It closed a network called LokiTorrent. LokiTorrent agreed.", ["LokiTorrent"], ["LokiTorrent"]),
    ("A firm called Acme Corp said so.", ["Acme Corp"], []),  # a firm is no thing
    ("The browser Firefox 1.0, released in May, grew. Firefox rose.", ["Firefox"], ["Firefox"]),  # a release number
    ("Revenue in Hong Kong 6.4 billion and China rose.", ["Hong Kong"], []),  # an amount, no release
    ("It sells drugs such as Cardizem and the drug Zantac.", ["Cardizem", "Zantac"], ["Cardizem", "Zantac"]),
    ("Browser software, like Opera and Apple's Safari, rose.", ["Opera", "Apple"], ["Opera"]),  # the maker
    ("Swiss franc notes and the Hong Kong dollar rose.", ["Swiss", "Hong Kong"], ["Hong Kong", "Swiss"]),  # currencies
    ("The Aviator won five Oscars and a Bafta; the Academy said so.", ["Oscars", "Bafta", "Academy"], ["Bafta", "Oscars"]),  # awards
])
def test_things_and_works_are_not_org(text, names, expected):
    assert products(text, names) == expected


@pytest.mark.parametrize(("text", "name", "expected"), [
    # a title's own `The` after the work noun
    ("He starred in the film The Chorus. The Chorus drew crowds.", "Chorus", 2),
    # `the X <work noun>` once makes every mention a work, unless the name acts somewhere
    ("Sony made the Cell processor. Cell could be sold widely.", "Cell", 2),
    ("Gamers play the Painkiller game. Painkiller has been described as fast.", "Painkiller", 2),
    ("Fans play the Halo game. Halo said it would hire staff.", "Halo", 0),
    ("Fans bought the Sega console. Sega was pleased.", "Sega", 1),  # a maker: only that mention (product_nouns)
    ("Sports broadcaster ESPN lent its name. The ESPN games sold.", "ESPN", 0),  # described as a company once
    ("It is a hit on the Channel 4 show. Channel 4 said so.", "Channel 4", 0),  # a broadcaster's show
])
def test_works_named_with_the_and_a_work_noun(text, name, expected):
    mentions = [(m.start(), m.end()) for m in re.finditer(name, text)]
    assert len(product_mentions(text, mentions, default_lexicons())) == expected
