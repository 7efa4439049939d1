"""The filter line: free text plus ``field:value`` tokens (bucket, region, status, collector).

``acme bucket:90+ region:west`` keeps accounts or invoices matching "acme" in the 90+ bucket
of the West region. Field names may be shortened to any unique prefix (``b:90+``); values
match the book's values case-insensitively.
"""

from dataclasses import replace

from arctui.store.read.invoices import FILTER_FIELDS, InvoiceFilter

HELP = "type to search name, account, invoice no.; narrow with bucket: region: status: collector:"


def parse_filter(
    line: str, choices: dict[str, list[str]], base: InvoiceFilter = InvoiceFilter()
) -> tuple[InvoiceFilter, list[str]]:
    """(the filter, problems found); unknown fields or values are reported and ignored."""
    words, fields, problems = [], {}, []
    for token in line.split():
        name, sep, value = token.partition(":")
        if not sep or not name:
            words.append(token)
            continue
        matches = [f for f in FILTER_FIELDS if f.startswith(name.lower())]
        if len(matches) != 1:
            problems.append(f"{name}: not a filter; use {', '.join(FILTER_FIELDS)}")
            continue
        field = matches[0]
        known = {v.lower(): v for v in choices.get(field, [])}
        if value.lower() not in known:
            shown = ", ".join(choices.get(field, [])[:12]) or "none in this book"
            problems.append(f"{field}: {value or '(empty)'} is not one of {shown}")
            continue
        fields[field] = known[value.lower()]
    return replace(base, text=" ".join(words), **fields), problems
