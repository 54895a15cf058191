"""Column mapping: aliases, --map, joined text columns, and the errors."""

from __future__ import annotations

import pytest
from column_helpers import columns, unmapped_fields, unused_columns

from nami_cli.base.errors import NamiError
from nami_cli.lists.columns import ALIASES, FIELDS, map_columns, normalise_header


def mapped(headers: list[str], overrides: list[str] | None = None) -> dict[str, list[str]]:
    cmap = map_columns(headers, overrides or [], file="list.csv")
    return {f: columns(cmap, f) for f in FIELDS if columns(cmap, f)}


def test_dutch_export() -> None:
    headers = [
        "Factuurnummer",
        "Boekdatum",
        "Crediteurnaam",
        "Omschrijving",
        "Kostensoort",
        "Kostenplaats",
        "Aantal",
        "Bedrag excl. BTW",
    ]
    assert mapped(headers) == {
        "id": ["Factuurnummer"],
        "description": ["Omschrijving"],
        "category": ["Kostensoort"],
        "quantity": ["Aantal"],
        "amount": ["Bedrag excl. BTW"],
        "supplier": ["Crediteurnaam"],
        "date": ["Boekdatum"],
        "cost_centre": ["Kostenplaats"],
    }


def test_english_export() -> None:
    headers = [
        "Order Number",
        "Item Description",
        "Expenditure Category",
        "Qty",
        "Unit Price",
        "Vendor",
        "Cost Center",
    ]
    assert mapped(headers) == {
        "id": ["Order Number"],
        "description": ["Item Description"],
        "category": ["Expenditure Category"],
        "quantity": ["Qty"],
        "unit_price": ["Unit Price"],
        "supplier": ["Vendor"],
        "cost_centre": ["Cost Center"],
    }


@pytest.mark.parametrize(
    "header",
    ["OMSCHRIJVING", "omschrijving", " Omschrijving ", "Artikel_omschrijving", "artikel-omschrijving"],
)
def test_case_spaces_and_punctuation_are_ignored(header: str) -> None:
    assert mapped([header])["description"] == [header]


def test_currency_suffix_is_ignored() -> None:
    assert mapped(["Omschrijving", "Bedrag (EUR)"])["amount"] == ["Bedrag (EUR)"]
    assert mapped(["Item", "Amount €"])["amount"] == ["Amount €"]


def test_best_alias_wins_when_several_columns_match() -> None:
    result = mapped(["Omschrijving", "Totaal", "Bedrag", "Netto bedrag"])
    assert result["amount"] == ["Netto bedrag"]


def test_grootboek_description_is_a_category_not_a_description() -> None:
    result = mapped(["Grootboekrekening omschrijving", "Bedrag"])
    assert result == {"category": ["Grootboekrekening omschrijving"], "amount": ["Bedrag"]}


def test_cpv_alone_is_enough() -> None:
    assert mapped(["CPV-code", "Waarde"]) == {"cpv": ["CPV-code"], "amount": ["Waarde"]}


def test_map_overrides_and_joins_text_columns() -> None:
    headers = ["Omschrijving", "Toelichting", "Soort", "Bedrag"]
    result = mapped(headers, ["description=Omschrijving", "description=Toelichting", "category=Soort"])
    assert result["description"] == ["Omschrijving", "Toelichting"]
    assert result["category"] == ["Soort"]
    assert result["amount"] == ["Bedrag"]


def test_map_takes_the_column_away_from_automatic_matching() -> None:
    # "Kostensoort" would be the category; mapped as description it is not used twice
    result = mapped(["Kostensoort", "Bedrag"], ["description=Kostensoort"])
    assert result == {"description": ["Kostensoort"], "amount": ["Bedrag"]}


def test_map_column_name_is_case_insensitive_and_field_accepts_hyphens() -> None:
    result = mapped(
        ["Tekst", "KP", "Prijs p/st"], ["description=tekst", "cost-centre=kp", "unit price=Prijs p/st"]
    )
    assert result == {"description": ["Tekst"], "cost_centre": ["KP"], "unit_price": ["Prijs p/st"]}


def test_map_empty_column_unmaps_a_field() -> None:
    result = mapped(["Omschrijving", "CPV", "Bedrag"], ["cpv="])
    assert "cpv" not in result
    assert result["description"] == ["Omschrijving"]


def test_describe_lists_one_field_per_line() -> None:
    cmap = map_columns(
        ["Omschrijving", "Toelichting", "Bedrag"],
        ["description=Omschrijving", "description=Toelichting"],
        file="x",
    )
    assert cmap.describe().splitlines() == [
        "description <- Omschrijving + Toelichting  (--map)",
        "amount <- Bedrag",
    ]
    assert unmapped_fields(cmap)[:3] == ["id", "category", "cpv"]
    assert unused_columns(cmap) == []


def test_no_text_column_is_an_error_naming_the_columns() -> None:
    with pytest.raises(NamiError) as info:
        map_columns(["Datum", "Bedrag", "Xyz"], [], file="spend.csv")
    message = str(info.value)
    assert message.startswith("spend.csv: ")
    assert "'Datum', 'Bedrag', 'Xyz'" in message
    assert "--map description=COLUMN" in message


def test_unknown_field_names_the_valid_fields() -> None:
    with pytest.raises(
        NamiError, match=r"unknown field 'omschrijving'; valid fields: id, description, category"
    ):
        map_columns(["Omschrijving"], ["omschrijving=Omschrijving"], file="x")


def test_unknown_column_names_the_columns_found() -> None:
    with pytest.raises(NamiError) as info:
        map_columns(["Omschrijving", "Bedrag"], ["description=Omschrijvng"], file="x")
    message = str(info.value)
    assert "no column 'Omschrijvng'" in message
    assert "did you mean 'Omschrijving'?" in message
    assert "'Omschrijving', 'Bedrag'" in message


def test_map_without_equals_sign() -> None:
    with pytest.raises(NamiError, match="write field=Column"):
        map_columns(["Omschrijving"], ["Omschrijving"], file="x")


def test_a_number_field_takes_one_column() -> None:
    with pytest.raises(NamiError, match="amount can be read from one column only"):
        map_columns(["Omschrijving", "A", "B"], ["amount=A", "amount=B"], file="x")


def test_duplicate_headers_are_labelled_by_position() -> None:
    cmap = map_columns(["Omschrijving", "Omschrijving"], [], file="x")
    assert cmap.fields["description"] == (0,)
    assert cmap.describe() == "description <- 'Omschrijving' (column 1)"


def test_alias_table_has_every_field_and_no_alias_twice() -> None:
    assert set(ALIASES) == set(FIELDS)
    seen: dict[str, str] = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            key = normalise_header(alias)
            assert seen.setdefault(key, field) == field, alias


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("artikel", "description"),
        ("Artikelomschrijving", "description"),
        ("Productomschrijving", "description"),
        ("Regelomschrijving", "description"),
        ("Factuuromschrijving", "description"),
        ("line description", "description"),
        ("Item", "description"),
        ("Categorie", "category"),
        ("Inkooppakket", "category"),
        ("Grootboekrekening", "category"),
        ("Expense type", "category"),
        ("Category", "category"),
        ("Bedrag", "amount"),
        ("Netto bedrag", "amount"),
        ("Totaal", "amount"),
        ("Value", "amount"),
        ("Net amount", "amount"),
        ("Total", "amount"),
        ("Hoeveelheid", "quantity"),
        ("Quantity", "quantity"),
        ("Eenheid", "unit"),
        ("Unit", "unit"),
        ("Stuksprijs", "unit_price"),
        ("Prijs per stuk", "unit_price"),
        ("Eenheidsprijs", "unit_price"),
        ("Price", "unit_price"),
        ("Leverancier", "supplier"),
        ("Crediteur", "supplier"),
        ("Supplier name", "supplier"),
        ("Factuurdatum", "date"),
        ("Datum", "date"),
        ("Invoice date", "date"),
        ("Kostenplaats", "cost_centre"),
        ("Cost centre", "cost_centre"),
        ("CPV", "cpv"),
        ("cpv_code", "cpv"),
        ("Ordernummer", "id"),
        ("ID", "id"),
    ],
)
def test_aliases(header: str, field: str) -> None:
    cmap = map_columns([header, "Omschrijving" if field != "description" else "Bedrag"], [], file="x")
    assert columns(cmap, field) == [header]
