"""Which brands a text names: whole words, any case or accents, aliases and exclusions."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from crawler.extract.brands import Brand, BrandMatcher, normalise

ROSSI = Brand("Panificio Rossi", aliases=("Forno Rossi", "Rossi"), exclude=("Valentino Rossi",))
AURORA = Brand("Caffè Aurora", aliases=("Aurora Caffè",), exclude=("aurora boreale",))
MATCHER = BrandMatcher([ROSSI, AURORA, Brand("L'Oréal"), Brand("Coca-Cola", aliases=("Coke",))])


MATCHES = [
    # case and accents
    ("Colazione al Caffè Aurora", ["Caffè Aurora"]),
    ("CAFFE AURORA chiude presto", ["Caffè Aurora"]),
    ("caffe' aurora, il migliore", ["Caffè Aurora"]),
    ("Caffè\u00a0Aurora", ["Caffè Aurora"]),
    ("Cafe\u0301 Aurora?", []),  # "cafe" is another word, however it is accented
    ("Caffe\u0300 Aurora", ["Caffè Aurora"]),  # decomposed accent
    # whole words only
    ("I Rossiani di Bra", []),
    ("rossissimo", []),
    ("#FornoRossi", []),
    ("Forno Rossi-Bianchi", ["Panificio Rossi"]),
    # punctuation and apostrophes
    ("dal Panificio Rossi.", ["Panificio Rossi"]),
    ("Panificio Rossi's bread", ["Panificio Rossi"]),
    ("«Panificio Rossi»", ["Panificio Rossi"]),
    ("panificio-rossi", ["Panificio Rossi"]),
    ("L’Oréal Paris", ["L'Oréal"]),
    ("LOREAL", []),
    ("coca cola e COKE", ["Coca-Cola"]),
    ("Coca-Cola™ e Caffè Aurora®", ["Caffè Aurora", "Coca-Cola"]),
    # aliases
    ("il Forno Rossi apre alle 7", ["Panificio Rossi"]),
    ("Aurora Caffè", ["Caffè Aurora"]),
    # exclusions remove only the occurrences they cover
    ("Valentino Rossi vince a Misano", []),
    ("VALENTINO ROSSI", []),
    ("Valentino Rossi compra il pane da Rossi", ["Panificio Rossi"]),
    ("Valentino Rossi e il Forno Rossi", ["Panificio Rossi"]),
    ("l'aurora boreale e il Caffè Aurora", ["Caffè Aurora"]),
    ("l'aurora boreale", []),
    # several brands, in config order
    (
        "Coca-Cola al Caffè Aurora, pane dal Forno Rossi",
        ["Panificio Rossi", "Caffè Aurora", "Coca-Cola"],
    ),
    ("Rossi, Rossi e ancora Rossi", ["Panificio Rossi"]),
    ("", []),
    ("nulla da vedere", []),
]


@pytest.mark.parametrize(("text", "expected"), MATCHES)
def test_match(text, expected):
    assert MATCHER.match(text) == expected


def test_an_exclusion_belongs_to_its_brand_only():
    matcher = BrandMatcher(
        [
            Brand("Rossi", exclude=("Valentino Rossi",)),
            Brand("Valentino Rossi Fan Club", aliases=("Valentino Rossi",)),
        ]
    )
    assert matcher.match("Valentino Rossi") == ["Valentino Rossi Fan Club"]
    assert matcher.match("Valentino Rossi e Rossi") == ["Rossi", "Valentino Rossi Fan Club"]


def test_built_from_the_config_brands():
    config_brands = [
        SimpleNamespace(name="Panificio Rossi", aliases=["Rossi"], exclude=["Valentino Rossi"]),
        SimpleNamespace(name="Caffè Aurora", aliases=[], exclude=[]),
    ]
    matcher = BrandMatcher.from_config(config_brands)
    assert matcher.match("Valentino Rossi al caffe aurora") == ["Caffè Aurora"]
    assert matcher.brands[0] == Brand("Panificio Rossi", ("Rossi",), ("Valentino Rossi",))


def test_a_brand_that_cannot_be_matched_is_refused():
    with pytest.raises(ValueError, match="no letters or digits"):
        BrandMatcher([Brand("***")])


def test_normalised_form():
    assert normalise("  Caffè  AURORA’s — “Più” ") == "caffe aurora s piu"
    assert normalise("Straße ﬁne") == "strasse fine"
    assert normalise("ＡＵＲＯＲＡ™ n°1 snake_case") == "aurora n 1 snake case"


# Forty made-up shops named after a street: more first words than a text is searched for one by
# one (the matcher splits every text into words then), the brands of MATCHER among them.
MANY = BrandMatcher(
    [*MATCHER.brands, *(Brand(f"Bottega di via {n}", aliases=(f"Negozio{n}",)) for n in range(40))]
)


@pytest.mark.parametrize(
    "text",
    [
        "CAFFÈ-AURORA™ e ＰＡＮＩＦＩＣＩＯ ＲＯＳＳＩ",  # named only once folded
        "Il Negozio7 e la Bottega di via 12, poi il Forno Rossi",
        "Valentino Rossi all'aurora boreale",
        "nulla da vedere " * 200,
        "Panificio Rossi " * 200 + "Valentino Rossi",
        "panificio\n\n—Rossi!",
        *(text for text, _ in MATCHES),
    ],
)
def test_a_text_names_the_same_brands_whether_searched_first_or_split_at_once(text):
    assert MATCHER.match(text) == [b for b in MANY.match(text) if not b.startswith("Bottega")]
    names = [brand.name for brand in MANY.brands]
    one_by_one = [
        name
        for name in names
        if BrandMatcher([b for b in MANY.brands if b.name == name]).match(text)
    ]
    assert MANY.match(text) == one_by_one
