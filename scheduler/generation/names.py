"""Fictional but realistic Flemish names for generated scenarios: pupils, mentors, companies,
schools, training centres and the regions (with real municipalities and postcodes) they lie in.

Every name is drawn from a ``random.Random`` the caller passes, so a seed gives the same names.
Ids are slugs of the names, made unique by :class:`IdPool`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass

BOYS = (
    "Noah", "Arthur", "Louis", "Lucas", "Jules", "Adam", "Liam", "Victor", "Finn", "Mohamed",
    "Vic", "Leon", "Matteo", "Mats", "Lars", "Seppe", "Wout", "Kobe", "Stan", "Ruben", "Milan",
    "Thibo", "Senne", "Rune", "Tuur", "Daan", "Lander", "Jasper", "Robbe", "Jens", "Bram",
    "Arne", "Sander", "Brent", "Ward", "Niels", "Jonas", "Tibo", "Lowie", "Warre", "Yassine",
    "Ayoub", "Emre", "Youssef", "Bilal", "Mathis", "Elias", "Hamza", "Cas", "Staf", "Nand",
    "Gust", "Jef", "Miel", "Otis", "Xander", "Kasper", "Joren", "Lennert", "Maxim", "Dries",
    "Thomas", "Simon", "Michiel", "Wannes", "Toon", "Jarne", "Yannick", "Kenzo", "Mauro",
)  # fmt: skip
GIRLS = (
    "Emma", "Olivia", "Louise", "Mila", "Ella", "Lina", "Nina", "Elena", "Lotte", "Hanne",
    "Febe", "Jana", "Amber", "Yasmine", "Fien", "Marie", "Jolien", "Lore", "Zoë", "Noor",
    "Lise", "Ines", "Luna", "Julie", "Margot", "Axelle", "Kato", "Silke", "Laura", "Lien",
    "Charlotte", "Aya", "Salma", "Elise", "Fleur", "Anouk", "Lena", "Sara", "Nore", "Tess",
)  # fmt: skip
ADULTS = (
    "An", "Bart", "Els", "Koen", "Sofie", "Tom", "Ilse", "Pieter", "Lien", "Jan", "Nora",
    "Geert", "Dirk", "Sara", "Wim", "Marc", "Ann", "Luc", "Joris", "Katrien", "Bram", "Mieke",
    "Hans", "Griet", "Ivan", "Kristof", "Veerle", "Filip", "Nathalie", "Stijn", "Inge", "Peter",
    "Karen", "Johan", "Sven", "Tine", "Wouter", "Evelien", "Hilde", "Rudi", "Kurt", "Dieter",
    "Ahmed", "Murat", "Sabine", "Frank", "Patrick", "Eva", "Gert", "Liesbeth", "Ronny", "Tinne",
)  # fmt: skip
SURNAMES = (
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Hermans", "Aerts", "Lambrecht", "Martens", "Dupont",
    "Van Damme", "Desmet", "Verstraete", "Vermeulen", "De Backer", "Cools", "Smet", "Claeys",
    "Pauwels", "Van den Broeck", "Declercq", "De Clercq", "Michiels", "Stevens", "Verhaeghe",
    "Wuyts", "Bracke", "Baert", "Standaert", "Ryckaert", "Van Hecke", "De Vos", "Schepens",
    "Lippens", "Goethals", "Rogiers", "Dhondt", "Van de Velde", "Van Acker", "Bogaert",
    "Vandenberghe", "Van Dyck", "Segers", "Leemans", "De Wilde", "Coppens", "De Cock",
    "Verbeke", "Vanhove", "Devos", "Deprez", "Vermeersch", "Hendrickx", "Van Looy", "Thys",
    "Verhoeven", "Geerts", "Huybrechts", "Sels", "Maenhout", "Bauwens", "De Meyer", "Van Hoof",
    "Vercammen", "Nys", "Mattheus", "Van Gucht", "Dewitte", "Callens", "Vandamme", "Heylen",
    "Boeckx", "Moens", "Cornelis", "Schoofs", "Wijns", "De Ridder", "Van Hove", "Wyns",
    "El Idrissi", "Bakkali", "El Amrani", "Yilmaz", "Demir", "Kaya", "Öztürk", "Benali",
)  # fmt: skip

STREETS = (
    "Industrieweg", "Nijverheidsstraat", "Ambachtenstraat", "Kanaaldijk", "Stationsstraat",
    "Kerkstraat", "Molenstraat", "Dorpsstraat", "Europalaan", "Hoogstraat", "Fabriekstraat",
    "Zuidlaan", "Ringlaan", "Havenlaan", "Schoolstraat", "Bedrijvenlaan", "Vaartstraat",
)  # fmt: skip

SCHOOL_PATTERNS = (
    ("VTI {city}", "vti"), ("KTA {city}", "kta"), ("GO! Technisch Atheneum {city}", "go-ta"),
    ("Technisch Instituut Sint-Jozef {city}", "tisj"), ("Provinciaal Technisch Instituut {city}",
    "pti"), ("Don Bosco Technisch Instituut {city}", "dbti"), ("Sint-Vincentius Technisch "
    "Instituut {city}", "svti"), ("Technicum {city}", "technicum"),
)  # fmt: skip
"""School names and the short code their ids start with."""

COMPANY_PATTERNS: dict[str, tuple[str, ...]] = {
    "emt-duaal": (
        "Elektro {name}", "{name} Techniek", "{city} Automation", "Onderhoud {name}",
        "{name} Industrial Services", "Pompen {name}", "Hydraulica {name}", "Brouwerij {name}",
        "Papierfabriek {city}", "Zuivel {city}", "Chemie {city}", "Voeding {name}",
        "Textiel {name}", "Staalwerken {name}", "Draadfabriek {city}", "Kunststoffen {name}",
        "Logistiek {city}", "Liftenbouw {name}", "Koeltechniek {name}", "Energie {city}",
    ),
    "lassen-constructie-duaal": (
        "Metaalbouw {name}", "Constructiewerken {name}", "Staalbouw {city}", "Lasbedrijf {name}",
        "Ketelbouw {name}", "Tankbouw {city}", "Carrosserie {name}", "Smederij {name}",
        "Hekwerk {name}", "Inox {city}", "Scheepswerf {city}", "Leidingbouw {name}",
    ),
    "mechanische-vormgeving-duaal": (
        "Precisie {name}", "{name} Machinebouw", "Verspaning {name}", "CNC {city}",
        "Matrijzenbouw {name}", "Mechanica {name}", "Fijnmechanica {city}", "Draaierij {name}",
        "Werkhuizen {name}", "Tandwielen {name}",
    ),
}  # fmt: skip
LEGAL_FORMS = ("", "", "", " NV", " BV", " bv", " & Zonen")


@dataclass(frozen=True)
class Region:
    """A region of Flanders served by one training centre, with its municipalities."""

    name: str
    places: tuple[tuple[str, str], ...]
    """(municipality, postcode) pairs."""


REGIONS = (
    Region("Meetjesland", (("Eeklo", "9900"), ("Maldegem", "9990"), ("Assenede", "9960"),
                           ("Kaprijke", "9970"), ("Zelzate", "9060"), ("Evergem", "9940"))),
    Region("Waasland", (("Sint-Niklaas", "9100"), ("Beveren", "9120"), ("Temse", "9140"),
                        ("Lokeren", "9160"), ("Stekene", "9190"), ("Kruibeke", "9150"))),
    Region("Kempen", (("Turnhout", "2300"), ("Geel", "2440"), ("Mol", "2400"),
                      ("Herentals", "2200"), ("Hoogstraten", "2320"), ("Westerlo", "2260"))),
    Region("Westhoek", (("Ieper", "8900"), ("Poperinge", "8970"), ("Diksmuide", "8600"),
                        ("Veurne", "8630"), ("Wervik", "8940"), ("Heuvelland", "8950"))),
    Region("Brugse Ommeland", (("Brugge", "8000"), ("Oostkamp", "8020"), ("Torhout", "8820"),
                               ("Beernem", "8730"), ("Zedelgem", "8210"), ("Jabbeke", "8490"))),
    Region("Leiestreek", (("Kortrijk", "8500"), ("Harelbeke", "8530"), ("Menen", "8930"),
                          ("Wevelgem", "8560"), ("Kuurne", "8520"), ("Waregem", "8790"))),
    Region("Vlaamse Ardennen", (("Oudenaarde", "9700"), ("Ronse", "9600"), ("Zottegem", "9620"),
                                ("Brakel", "9660"), ("Kruisem", "9770"), ("Maarkedal", "9680"))),
    Region("Denderstreek", (("Aalst", "9300"), ("Ninove", "9400"), ("Dendermonde", "9200"),
                            ("Geraardsbergen", "9500"), ("Denderleeuw", "9470"),
                            ("Lede", "9340"))),
    Region("Pajottenland", (("Halle", "1500"), ("Lennik", "1750"), ("Gooik", "1755"),
                            ("Dilbeek", "1700"), ("Ternat", "1740"), ("Pepingen", "1670"))),
    Region("Hageland", (("Aarschot", "3200"), ("Diest", "3290"), ("Tienen", "3300"),
                        ("Scherpenheuvel-Zichem", "3270"), ("Tielt-Winge", "3390"),
                        ("Begijnendijk", "3130"))),
    Region("Haspengouw", (("Sint-Truiden", "3800"), ("Tongeren", "3700"), ("Borgloon", "3840"),
                          ("Landen", "3400"), ("Gingelom", "3890"), ("Heers", "3870"))),
    Region("Maasland", (("Maasmechelen", "3630"), ("Maaseik", "3680"), ("Dilsen-Stokkem", "3650"),
                        ("Lanaken", "3620"), ("Bree", "3960"), ("Kinrooi", "3640"))),
    Region("Limburgse Kempen", (("Genk", "3600"), ("Hasselt", "3500"), ("Beringen", "3580"),
                                ("Houthalen-Helchteren", "3530"), ("Heusden-Zolder", "3550"),
                                ("Lommel", "3920"))),
    Region("Voorkempen", (("Schilde", "2970"), ("Zoersel", "2980"), ("Malle", "2390"),
                          ("Brecht", "2960"), ("Zandhoven", "2240"), ("Ranst", "2520"))),
    Region("Rivierenland", (("Mechelen", "2800"), ("Lier", "2500"), ("Duffel", "2570"),
                            ("Bornem", "2880"), ("Willebroek", "2830"),
                            ("Puurs-Sint-Amands", "2870"))),
    Region("Noordrand", (("Vilvoorde", "1800"), ("Machelen", "1830"), ("Grimbergen", "1850"),
                         ("Zaventem", "1930"), ("Kampenhout", "1910"),
                         ("Steenokkerzeel", "1820"))),
    Region("Dijleland", (("Leuven", "3000"), ("Heverlee", "3001"), ("Bertem", "3060"),
                         ("Oud-Heverlee", "3050"), ("Herent", "3020"), ("Rotselaar", "3110"))),
    Region("Gentse Kanaalzone", (("Gent", "9000"), ("Wondelgem", "9032"), ("Oostakker", "9041"),
                                 ("Desteldonk", "9042"), ("Lochristi", "9080"),
                                 ("Merelbeke", "9820"))),
    Region("Scheldeland", (("Wetteren", "9230"), ("Zele", "9240"), ("Berlare", "9290"),
                           ("Hamme", "9220"), ("Wichelen", "9260"), ("Lebbeke", "9280"))),
    Region("Kust", (("Oostende", "8400"), ("Middelkerke", "8430"), ("Bredene", "8450"),
                    ("Gistel", "8470"), ("De Haan", "8420"), ("Blankenberge", "8370"))),
    Region("Midwest", (("Roeselare", "8800"), ("Izegem", "8870"), ("Tielt", "8700"),
                       ("Lichtervelde", "8810"), ("Ingelmunster", "8770"), ("Hooglede", "8830"))),
    Region("Antwerpse Noorderkempen", (("Kapellen", "2950"), ("Stabroek", "2940"),
                                       ("Kalmthout", "2920"), ("Essen", "2910"),
                                       ("Zwijndrecht", "2070"), ("Brasschaat", "2930"))),
)  # fmt: skip


def region(index: int) -> Region:
    """The ``index``-th region; beyond the list, numbered copies (``Kempen 2``)."""
    base = REGIONS[index % len(REGIONS)]
    rounds = index // len(REGIONS)
    return base if rounds == 0 else Region(f"{base.name} {rounds + 1}", base.places)


def slug(text: str) -> str:
    """``Metaalbouw De Smet & Zonen`` -> ``metaalbouw-de-smet-zonen`` (an id)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:50] or "x"


class IdPool:
    """Hands out unique ids: the slug of a name, with ``-2``, ``-3`` ... on a clash."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, text: str) -> str:
        """A fresh id for ``text``."""
        base = slug(text)
        ident, n = base, 1
        while ident in self._used:
            n += 1
            ident = f"{base}-{n}"
        self._used.add(ident)
        return ident


def pupil_name(rng: random.Random) -> tuple[str, str]:
    """A pupil's first and last name (technical programmes: mostly boys)."""
    first = rng.choice(BOYS) if rng.random() < 0.85 else rng.choice(GIRLS)
    return first, rng.choice(SURNAMES)


def adult_name(rng: random.Random) -> str:
    """A mentor's full name."""
    return f"{rng.choice(ADULTS)} {rng.choice(SURNAMES)}"


def address(rng: random.Random, place: tuple[str, str]) -> str:
    """A street address in a municipality: ``Industrieweg 14, 9900 Eeklo``."""
    city, postcode = place
    return f"{rng.choice(STREETS)} {rng.randint(1, 220)}, {postcode} {city}"


def company_name(rng: random.Random, programme_id: str, city: str) -> str:
    """A fictional company name fitting a programme's sector."""
    patterns = COMPANY_PATTERNS.get(programme_id, COMPANY_PATTERNS["emt-duaal"])
    pattern = rng.choice(patterns)
    return pattern.format(name=rng.choice(SURNAMES), city=city) + rng.choice(LEGAL_FORMS)


def school_name(rng: random.Random, city: str) -> tuple[str, str]:
    """A fictional technical school in a municipality, and a short name for its id."""
    pattern, code = rng.choice(SCHOOL_PATTERNS)
    return pattern.format(city=city), f"{code} {city}"


def centre_name(rng: random.Random, region_name: str) -> str:
    """A fictional training centre (opleidingscentrum) of a region."""
    pattern = rng.choice(
        ("Opleidingscentrum {r}", "Technisch Opleidingscentrum {r}", "OC Techniek {r}",
         "Sectorcentrum Metaal en Elektro {r}")
    )  # fmt: skip
    return pattern.format(r=region_name)
