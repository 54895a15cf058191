"""Generate a realistic Dutch purchase list (spend export) for benchmarks: semicolon CSV, decimal comma,
Windows-style headers, mixed categories, seeded so every run makes the same file.

    python benchmarks/gen_purchases.py OUT.csv [--rows 1000000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random

# (weight, kostensoort, [description templates], (low, high) amount, (low, high) quantity)
CATALOGUE: list[tuple[int, str, list[str], tuple[float, float], tuple[int, int]]] = [
    (
        8,
        "Kantoorartikelen",
        [
            "Kopieerpapier A4 80 gr {n} pakken",
            "Balpennen blauw doos {n}",
            "Nietjes 24/6 {n} doosjes",
            "Ordners A4 breed {n} st",
            "Post-it notes {n} blokken",
            "Markeerstiften assorti {n}",
        ],
        (15, 900),
        (1, 60),
    ),
    (
        6,
        "Relatiegeschenken",
        [
            "Pennen met logo {n} st",
            "Notitieboekjes bedrukt {n} st",
            "Relatiegeschenken kerst {n} st",
            "Give-aways congres {n} st",
            "USB-sticks met logo {n} st",
        ],
        (120, 6000),
        (50, 1000),
    ),
    (
        6,
        "Catering",
        [
            "Lunch vergadering {n} personen",
            "Koffie en thee {n} personen",
            "Broodjeslunch directieoverleg {n} pers.",
            "Borrel afscheid {n} personen",
            "Koffiebekers karton {n} st",
        ],
        (40, 2500),
        (5, 200),
    ),
    (
        5,
        "Bedrijfskleding",
        [
            "Werkkleding buitendienst {n} sets",
            "Polo's met logo {n} st",
            "Veiligheidsschoenen S3 {n} paar",
            "Uniformen handhaving {n} st",
            "Regenjassen reflecterend {n} st",
        ],
        (200, 15000),
        (5, 120),
    ),
    (
        5,
        "ICT hardware",
        [
            "Laptops vervanging {n} st",
            "Monitoren 27 inch {n} st",
            "Dockingstations USB-C {n} st",
            "Toetsenborden en muizen {n} sets",
            "Smartphones medewerkers {n} st",
        ],
        (500, 90000),
        (1, 150),
    ),
    (
        4,
        "Meubilair",
        [
            "Bureaustoelen ergonomisch {n} st",
            "Zit-sta bureaus {n} st",
            "Vergadertafel {n} st",
            "Kasten verrijdbaar {n} st",
            "Inrichting flexplekken verdieping {n}",
        ],
        (300, 60000),
        (1, 80),
    ),
    (
        4,
        "Drukwerk",
        [
            "Drukwerk flyers {n} ex",
            "Jaarverslag drukken {n} ex",
            "Posters A2 {n} ex",
            "Visitekaartjes {n} st",
            "Toner zwart {n} st",
        ],
        (80, 12000),
        (100, 5000),
    ),
    (
        3,
        "Vervoer",
        [
            "Leaseauto's wagenpark {n} st",
            "Huur bestelbus {n} dagen",
            "Taxikosten dienstreizen {n} ritten",
            "Brandstof dienstauto's {n} liter",
        ],
        (100, 40000),
        (1, 300),
    ),
    (
        3,
        "Verpakkingen",
        [
            "Verpakkingsmateriaal dozen {n} st",
            "Plastic tassen {n} st",
            "Pallets en stretchfolie {n}",
            "Kartonnen dozen verhuizing {n} st",
        ],
        (50, 4000),
        (20, 2000),
    ),
    (
        3,
        "Evenementen",
        [
            "Personeelsfeest locatie {n} gasten",
            "Jubileumcongres zaalhuur {n} gasten",
            "Nieuwjaarsreceptie {n} gasten",
            "Teamuitje {n} deelnemers",
        ],
        (500, 35000),
        (20, 400),
    ),
    (
        2,
        "Wegwerpartikelen",
        ["Wegwerpbekers {n} st", "Plastic bestek {n} st", "Servetten en bordjes {n} st"],
        (20, 900),
        (100, 5000),
    ),
    (
        12,
        "Diensten",
        [
            "Advieswerkzaamheden {n} uur",
            "Schoonmaak kantoor maand {n}",
            "Onderhoud liften kwartaal {n}",
            "Beveiliging object {n} uur",
            "Licenties software {n} gebruikers",
            "Energie levering maand {n}",
            "Inhuur projectleider {n} uur",
            "Accountantscontrole {n}",
        ],
        (500, 120000),
        (1, 400),
    ),
]
SUPPLIERS = [
    "Office Centre BV",
    "Lyreco Nederland",
    "Promo Brands BV",
    "Sodexo Nederland",
    "Hago Zorg",
    "Vanas Workwear",
    "Centralpoint",
    "Ahrend",
    "Drukkerij Van den Berg",
    "Athlon",
    "Smurfit Westrock",
    "Evenementenbureau Amstel",
    "Deloitte",
    "Eneco",
    "Schindler",
    "G4S",
    "Dell Technologies",
    "Gispen",
    "Raja",
    "Hanos",
]
COST_CENTRES = [f"{n:04d}" for n in range(1100, 1160)]
HEADER = [
    "Boekdatum",
    "Factuurnummer",
    "Crediteur",
    "Omschrijving",
    "Kostensoort",
    "Kostenplaats",
    "Aantal",
    "Bedrag",
]


def dutch(amount: float) -> str:
    """1234.5 -> '1.234,50'."""
    whole, cents = f"{amount:,.2f}".split(".")
    return whole.replace(",", ".") + "," + cents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    weights = [c[0] for c in CATALOGUE]
    start = dt.date(2026, 1, 1)
    with open(args.out, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for i in range(args.rows):
            _, kind, templates, (low, high), (qlow, qhigh) = rng.choices(CATALOGUE, weights)[0]
            quantity = rng.randint(qlow, qhigh)
            text = rng.choice(templates).format(n=rng.choice((quantity, quantity, 10, 25, 50, 100)))
            amount = round(rng.uniform(low, high), 2)
            if rng.random() < 0.01:
                amount = -amount  # a credit note
            writer.writerow(
                [
                    (start + dt.timedelta(days=rng.randrange(365))).strftime("%d-%m-%Y"),
                    f"F{2026000000 + i}",
                    rng.choice(SUPPLIERS),
                    text,
                    kind,
                    rng.choice(COST_CENTRES),
                    str(quantity),
                    dutch(amount),
                ]
            )


if __name__ == "__main__":
    main()
