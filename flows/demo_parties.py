"""The 60 parties of an EU-CELAC declaration (27 EU + 33 CELAC), and simulated delegations for the demo."""

from __future__ import annotations

import random

EU = [
    ("AT", "Austria"), ("BE", "Belgium"), ("BG", "Bulgaria"), ("HR", "Croatia"), ("CY", "Cyprus"),
    ("CZ", "Czechia"), ("DK", "Denmark"), ("EE", "Estonia"), ("FI", "Finland"), ("FR", "France"),
    ("DE", "Germany"), ("GR", "Greece"), ("HU", "Hungary"), ("IE", "Ireland"), ("IT", "Italy"),
    ("LV", "Latvia"), ("LT", "Lithuania"), ("LU", "Luxembourg"), ("MT", "Malta"), ("NL", "Netherlands"),
    ("PL", "Poland"), ("PT", "Portugal"), ("RO", "Romania"), ("SK", "Slovakia"), ("SI", "Slovenia"),
    ("ES", "Spain"), ("SE", "Sweden"),
]  # fmt: skip
CELAC = [
    ("AG", "Antigua and Barbuda"), ("AR", "Argentina"), ("BS", "Bahamas"), ("BB", "Barbados"), ("BZ", "Belize"),
    ("BO", "Bolivia"), ("BR", "Brazil"), ("CL", "Chile"), ("CO", "Colombia"), ("CR", "Costa Rica"),
    ("CU", "Cuba"), ("DM", "Dominica"), ("DO", "Dominican Republic"), ("EC", "Ecuador"), ("SV", "El Salvador"),
    ("GD", "Grenada"), ("GT", "Guatemala"), ("GY", "Guyana"), ("HT", "Haiti"), ("HN", "Honduras"),
    ("JM", "Jamaica"), ("MX", "Mexico"), ("NI", "Nicaragua"), ("PA", "Panama"), ("PY", "Paraguay"),
    ("PE", "Peru"), ("KN", "Saint Kitts and Nevis"), ("LC", "Saint Lucia"), ("VC", "Saint Vincent and the Grenadines"),
    ("SR", "Suriname"), ("TT", "Trinidad and Tobago"), ("UY", "Uruguay"), ("VE", "Venezuela"),
]  # fmt: skip
CO_PRESIDENCIES = ("ES", "BO")


def parties_csv() -> str:
    """The parties file for all 60 states."""
    rows = [f"{code},{name},EU" for code, name in EU] + [f"{code},{name},CELAC" for code, name in CELAC]
    return "code,name,bloc\n" + "\n".join(rows) + "\n"


def delegations(count: int) -> list[tuple[str, str]]:
    """The first ``count`` delegations (co-presidencies excluded), alternating EU and CELAC."""
    eu = [p for p in EU if p[0] not in CO_PRESIDENCIES]
    celac = [p for p in CELAC if p[0] not in CO_PRESIDENCIES]
    mixed = [p for pair in zip(celac, eu) for p in pair] + celac[len(eu):]
    return mixed[:count]


PHRASES = [
    ("and", "as well as"), ("strengthen", "further strengthen"), ("reaffirm", "strongly reaffirm"),
    ("drug", "drug-related"), ("cooperation", "international cooperation"), ("health", "public health"),
    ("human rights", "human rights and fundamental freedoms"), ("evidence-based", "scientific evidence-based"),
]
RATIONALES = [
    "Consistent with agreed UNGASS 2016 language.", "To align with our national legislation.",
    "Clearer and more balanced.", "Reflects the outcome of the last HLM.", "Proposal to streamline the text.",
]


def simulated_edits(texts: list[str], seed: int, name: str) -> tuple[list[str], dict[int, str]]:
    """A delegation's edits to the draft: replacements, insertions, a deletion, sometimes a new paragraph."""
    rng = random.Random(seed)
    new = list(texts)
    comments: dict[int, str] = {}
    candidates = [i for i in range(2, len(texts)) if len(texts[i]) > 80]
    for index in rng.sample(candidates, k=min(2, len(candidates))):
        old, replacement = rng.choice([p for p in PHRASES if p[0] in new[index]] or [("", "")])
        if old:
            new[index] = new[index].replace(old, replacement, 1)
            comments[index] = f"{name}: {rng.choice(RATIONALES)}"
    if rng.random() < 0.4:
        index = rng.choice(candidates)
        words = new[index].split(" ")
        cut = rng.randrange(3, max(4, len(words) - 3))
        new[index] = " ".join(words[:cut] + words[cut + 2:])
    if rng.random() < 0.25:
        index = rng.choice(candidates)
        new.insert(index + 1, f"Encourage the exchange of good practices proposed by {name} in this field,")
        comments[index + 1] = f"{name}: a new paragraph."
    return new, comments
