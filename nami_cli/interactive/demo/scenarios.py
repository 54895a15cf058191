"""The built-in workshop scenarios of ``nami demo``: the cases from the source, as requests.

Each scenario is a purchase request (the keys of a request file) with the case it comes from. Texts a
participant reads are bilingual: a value written as ``{"nl": ..., "en": ...}`` is resolved to one language
by :func:`localise`. The verdicts are never written here: the demo assesses every request with the real
engine and rule pack, so what a workshop sees is what ``nami check`` says. ``teaches`` only records the
strategies the case is about; a test checks that the rule pack finds an opportunity there, which keeps
the pack and the scenarios in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAGAZINE = "Kennismagazine Publieke Inkoop, 'Niet, Anders en Minder Inkopen' (Kennishub Publieke Inkoop)"


@dataclass(frozen=True)
class Scenario:
    id: str
    title: dict[str, str]
    case: dict[str, str]  # the case as the source tells it; the trainer's opening
    source: str
    request: dict[str, Any] = field(default_factory=dict)
    teaches: tuple[str, ...] = ()  # the strategies the case is about (refuse, rethink, reduce)

    def request_for(self, lang: str) -> dict[str, Any]:
        """The request with every bilingual text resolved to ``lang``."""
        data: dict[str, Any] = localise(self.request, lang)
        return data


def localise(value: Any, lang: str) -> Any:
    """Resolve ``{"nl": ..., "en": ...}`` texts (at any depth) to one language."""
    if isinstance(value, dict):
        if set(value) == {"nl", "en"}:
            return value[lang]
        return {k: localise(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [localise(v, lang) for v in value]
    return value


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        id="promotional-items",
        title={"nl": "Relatiegeschenken voor een jubileumcongres", "en": "Gifts for an anniversary congress"},
        case={
            "nl": "Pennen en notitieboekjes met logo: organisaties bestellen ze structureel, zonder dat er "
            "echt behoefte aan is. Niet inkopen begint met de vraag: is dit écht nodig?",
            "en": "Pens and notebooks with a logo: organisations order them as a matter of routine, without "
            "a real need. Refusing starts with the question: is this really needed?",
        },
        source=MAGAZINE,
        request={
            "nami": 1,
            "id": "DEMO-RELATIE",
            "title": {"nl": "Relatiegeschenken jubileumcongres", "en": "Gifts for the anniversary congress"},
            "description": {
                "nl": "500 pennen en 500 notitieboekjes met logo als bedankje voor de deelnemers",
                "en": "500 pens and 500 notebooks with our logo as a thank-you for the participants",
            },
            "category": "promotional-items",
            "cpv": "39294100-0",
            "quantity": 1000,
            "unit": {"nl": "stuks", "en": "pieces"},
            "unit_price": 2.1,
            "reason": "new",
            "requester": {"nl": "Afdeling Communicatie", "en": "Communications department"},
            "obstacles": ["habitual-ordering"],
        },
        teaches=("refuse",),
    ),
    Scenario(
        id="reusable-crates",
        title={
            "nl": "Herbruikbare kratten in plaats van wegwerpverpakking",
            "en": "Reusable crates instead of disposable packaging",
        },
        case={
            "nl": "Een bedrijf verving wegwerpverpakkingen door herbruikbare kratten en paste de logistiek "
            "aan: 40% minder materiaal. Geen kleine verbetering, maar een fundamenteel andere aanpak.",
            "en": "A company replaced disposable packaging by reusable crates and changed its logistics: 40% "
            "less material. Not a small improvement, but a fundamentally different approach.",
        },
        source=MAGAZINE,
        request={
            "nami": 1,
            "id": "DEMO-KRATTEN",
            "title": {
                "nl": "Kartonnen verzenddozen voor interne logistiek",
                "en": "Cardboard shipping boxes for internal logistics",
            },
            "description": {
                "nl": "Jaarvoorraad wegwerpdozen voor transport tussen het magazijn en de vestigingen",
                "en": "A year's supply of disposable boxes for transport between the warehouse and the "
                "offices",
            },
            "category": "packaging",
            "quantity": 20000,
            "unit": {"nl": "dozen", "en": "boxes"},
            "unit_price": 0.85,
            "reason": "replacement",
            "usage": {"annual_use": 20000},
            "requester": {"nl": "Logistiek", "en": "Logistics"},
        },
        teaches=("rethink",),
    ),
    Scenario(
        id="office-supplies",
        title={"nl": "Kantoorartikelen: de jaarbestelling", "en": "Office supplies: the annual order"},
        case={
            "nl": "Minder kantoorbenodigdheden bestellen lukt alleen als collega's ook daadwerkelijk minder "
            "gaan verbruiken. Minder inkopen begint bij het gebruik, en bij wat er al op de plank ligt.",
            "en": "Ordering fewer office supplies only works if colleagues actually use less. Reducing "
            "starts with use, and with what is already on the shelf.",
        },
        source=MAGAZINE,
        request={
            "nami": 1,
            "id": "DEMO-KANTOOR",
            "title": {"nl": "Kantoorartikelen jaarbestelling", "en": "Office supplies annual order"},
            "description": {
                "nl": "Schrijfblokken, pennen en markeerstiften voor alle afdelingen",
                "en": "Writing pads, pens and highlighters for all departments",
            },
            "category": "office-supplies",
            "quantity": 2000,
            "unit": {"nl": "stuks", "en": "pieces"},
            "unit_price": 1.25,
            "reason": "new",
            "usage": {"stock": 1200, "annual_use": 800, "users": 150},
            "requester": {"nl": "Facilitair bedrijf", "en": "Facility services"},
            "obstacles": ["hard-to-let-go-habits"],
        },
        teaches=("reduce",),
    ),
    Scenario(
        id="workwear",
        title={"nl": "Bedrijfskleding voor handhavers", "en": "Workwear for enforcement officers"},
        case={
            "nl": "Bij de Rijksoverheid ontbreken gegevens over gebruik en voorraad van bedrijfskleding, "
            "waardoor gerichte keuzes moeilijk zijn, en kleding wordt gezien als een verworven recht.",
            "en": "In the Dutch central government, data on the use and stock of workwear is missing, which "
            "makes targeted choices hard, and clothing is seen as an acquired right.",
        },
        source=MAGAZINE,
        request={
            "nami": 1,
            "id": "DEMO-KLEDING",
            "title": {"nl": "Bedrijfskleding handhavers", "en": "Workwear for enforcement officers"},
            "description": {
                "nl": "Vijf sets uniformkleding met logo per medewerker, jaarlijkse uitgifte",
                "en": "Five sets of uniform clothing with logo per employee, issued every year",
            },
            "category": "workwear",
            "cpv": "18100000-0",
            "quantity": 750,
            "unit": {"nl": "sets", "en": "sets"},
            "unit_price": 95,
            "reason": "policy",
            "usage": {"users": 150},
            "requester": {"nl": "Team Handhaving", "en": "Enforcement team"},
            "obstacles": ["workwear-acquired-right", "no-usage-data"],
        },
        teaches=("rethink", "reduce"),
    ),
    Scenario(
        id="laptops",
        title={
            "nl": "Laptops vervangen omdat ze vier jaar oud zijn",
            "en": "Laptops replaced because they are four years old",
        },
        case={
            "nl": "Afschrijvingsregels: apparaten worden automatisch vervangen op basis van leeftijd, ook "
            "als ze nog prima functioneren. Een obstakel op systeemniveau.",
            "en": "Depreciation rules: devices are replaced automatically on age, even when they still work "
            "fine. An obstacle at system level.",
        },
        source=MAGAZINE,
        request={
            "nami": 1,
            "id": "DEMO-LAPTOPS",
            "title": {"nl": "Vervanging laptops", "en": "Replacement of laptops"},
            "description": {
                "nl": "120 laptops vervangen omdat de afschrijvingstermijn van vier jaar is verstreken",
                "en": "Replace 120 laptops because the four-year depreciation period has ended",
            },
            "category": "ict-hardware",
            "cpv": "30213100-6",
            "quantity": 120,
            "unit": {"nl": "stuks", "en": "pieces"},
            "unit_price": 950,
            "reason": "replacement",
            "replaces": {"age_years": 4, "condition": "working", "trigger": "age"},
            "usage": {"users": 120},
            "requester": {"nl": "ICT-beheer", "en": "IT operations"},
            "answers": {
                "refuse": {
                    "answer": "yes",
                    "justification": {
                        "nl": "Alle medewerkers werken met een laptop; zonder kunnen ze hun werk niet doen",
                        "en": "Every employee works on a laptop; without one they cannot do their job",
                    },
                },
            },
        },
        teaches=("rethink",),
    ),
    Scenario(
        id="year-end-budget",
        title={"nl": "Restbudget aan het eind van het jaar", "en": "Budget left at the end of the year"},
        case={
            "nl": "Jaarlijkse budgettoewijzing stimuleert onnodige inkoop, omdat budget dat niet is "
            "uitgegeven anders 'verloren gaat'.",
            "en": "Annual budget allocation encourages needless purchases, because budget that is not spent "
            "is otherwise 'lost'.",
        },
        source=MAGAZINE,
        request={
            "nami": 1,
            "id": "DEMO-RESTBUDGET",
            "title": {"nl": "Tablets van restbudget", "en": "Tablets from the remaining budget"},
            "description": {
                "nl": "Het budget van dit jaar is nog niet op; 25 tablets bestellen voor december",
                "en": "This year's budget is not used up; order 25 tablets before December",
            },
            "category": "ict-hardware",
            "quantity": 25,
            "unit": {"nl": "stuks", "en": "pieces"},
            "unit_price": 480,
            "reason": "budget-remaining",
            "requester": {"nl": "Afdeling Beleid", "en": "Policy department"},
            "obstacles": ["annual-budget-allocation"],
        },
        teaches=("refuse",),
    ),
    Scenario(
        id="furniture",
        title={
            "nl": "Nieuwe bureaus en stoelen voor een verbouwde verdieping",
            "en": "New desks and chairs for a refurbished floor",
        },
        case={
            "nl": "De Rijksoverheid werkt sinds 2017 met een vaste vragenreeks: kan het gerepareerd worden? "
            "Staat er elders in de organisatie iets over (Rijksmarktplaats)? Kan het opgeknapt worden? Is er "
            "tweedehands? Pas dan nieuw, circulair. Een opgeknapt bureau of stoel stoot zo'n 90% minder CO2 "
            "uit dan een nieuwe.",
            "en": "Since 2017 the Dutch central government follows a fixed series of questions: can it be "
            "repaired? Is there spare furniture elsewhere in the organisation (Rijksmarktplaats)? Can it be "
            "refurbished? Is there second-hand? Only then new, circular. A refurbished desk or chair emits "
            "about 90% less CO2 than a new one.",
        },
        source="Denk Doe Duurzaam, 'Noem hergebruik niet bijzonder, maar de standaard' (2022); 'Feiten en "
        "cijfers faciliteiten'",
        request={
            "nami": 1,
            "id": "DEMO-MEUBILAIR",
            "title": {
                "nl": "Bureaus en bureaustoelen 3e verdieping",
                "en": "Desks and office chairs, 3rd floor",
            },
            "description": {
                "nl": "40 zit-sta-bureaus en 40 bureaustoelen voor de verbouwde verdieping",
                "en": "40 sit-stand desks and 40 office chairs for the refurbished floor",
            },
            "category": "furniture",
            "cpv": "39130000-2",
            "quantity": 80,
            "unit": {"nl": "stuks", "en": "pieces"},
            "unit_price": 650,
            "reason": "replacement",
            "replaces": {"age_years": 9, "condition": "working", "trigger": "other"},
            "requester": {"nl": "Huisvesting", "en": "Accommodation services"},
            "obstacles": ["new-preferred-over-second-hand"],
        },
        teaches=("rethink",),
    ),
    Scenario(
        id="catering",
        title={"nl": "Vergaderlunches", "en": "Meeting lunches"},
        case={
            "nl": "Rijkswaterstaat Westraven: van de broodjes bij vergaderlunches werd 17% weggegooid. Door "
            "20% minder krentenbollen te serveren daalde dat naar 7%.",
            "en": "Rijkswaterstaat Westraven: 17% of the bread rolls at meeting lunches was thrown away. "
            "Serving 20% fewer currant buns brought that down to 7%.",
        },
        source="Wegwijzer Afvalvrij Kantoor, case 'Vergaderlunches' (Rijkswaterstaat Westraven)",
        request={
            "nami": 1,
            "id": "DEMO-LUNCH",
            "title": {"nl": "Vergaderlunches 2027", "en": "Meeting lunches 2027"},
            "description": {
                "nl": "Broodjes, krentenbollen en fruit voor 200 vergaderlunches, standaard 2 broodjes per "
                "persoon",
                "en": "Sandwiches, currant buns and fruit for 200 meeting lunches, 2 rolls per person as "
                "standard",
            },
            "category": "catering",
            "quantity": 7000,
            "unit": {"nl": "couverts", "en": "covers"},
            "unit_price": 9.5,
            "reason": "new",
            "requester": {"nl": "Facilitair bedrijf", "en": "Facility services"},
            "obstacles": ["abundance-hospitality-norm"],
        },
        teaches=("reduce",),
    ),
)

BY_ID: dict[str, Scenario] = {s.id: s for s in SCENARIOS}
