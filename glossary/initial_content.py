"""
The glossary's initial terms: the abbreviations the old pages and minutes use
(the partnerships' pages and Sefton's minutes of December 2019 and March
2020). Each expansion is the one the source text gives beside the
abbreviation, or the body's unambiguous public name; nothing is guessed.

`load_initial_content` runs each bundle in BUNDLES once.
"""

from .models import Term

TERMS = [
    # (abbreviation, expansion, description)
    ("ASB", "anti-social behaviour", ""),
    ("CI", "Chief Inspector", "A police rank, as in \u201cCI Moscrop\u201d."),
    ("CRC", "Community Rehabilitation Company", ""),
    ("DA", "domestic abuse", ""),
    ("DWP", "Department for Work and Pensions", ""),
    ("LCR", "Liverpool City Region", ""),
    ("LSCB", "Local Safeguarding Children Board", ""),
    (
        "MCSP",
        "Merseyside Community Safety Partnership",
        "Operated between 2012 and June 2019, when it became the Safer Merseyside Partnership.",
    ),
    ("NOCS", "Serious and Organised Crime Strategy", "The national strategy."),
    ("PCC", "Police and Crime Commissioner", ""),
    ("PVPF", "Protecting Vulnerable People Forum", "Part of the Liverpool City Region structure."),
    ("SMP", "Safer Merseyside Partnership", "Chaired by Merseyside\u2019s Police and Crime Commissioner."),
    ("SOC", "Serious and Organised Crime", ""),
    ("SSCP", "Sefton Safer Communities Partnership", ""),
    ("VAWG", "violence against women and girls", ""),
    ("VRP", "Violence Reduction Partnership", ""),
    ("VRU", "Violence Reduction Unit", ""),
    ("YOT", "Youth Offending Team", ""),
]


def load_terms():
    # get_or_create: a term a clerk added before the first load is kept as is.
    for abbreviation, expansion, description in TERMS:
        Term.objects.get_or_create(
            abbreviation=abbreviation, defaults={"expansion": expansion, "description": description}
        )


BUNDLES = [("glossary.terms", load_terms)]
