"""Numbers typed by people, read back exactly as the product shows them.

Every input reads numbers with `parse_number` (forms, the score sheet, targets, Excel text
cells); the sheet's JavaScript mirrors the same rule. Shown numbers come from
`ranking.format_points`, and for every value a field allows
`parse_number(format_points(value, grouping=True)) == value`, in Vietnamese and in English.

The rule, given the language (vi: group ".", decimal ","; en: group ",", decimal "."):

1. Surrounding whitespace is stripped and spaces inside (NBSP, narrow NBSP included) are
   removed. Nothing left means no number: None.
2. An optional leading "-" or "−" (U+2212); then ASCII digits 0-9 and separators only
   ("²" and "٣" are not digits here).
3. With both "." and ",": the last one must be the language's decimal separator, and every
   other one its group separator between exact 3-digit groups ("1.234.567,5" in vi,
   "1,234,567.5" in en). Anything else is ambiguous and refused.
4. With only the group separator, possibly repeated: when the first group has 1-3 digits not
   starting with 0 and every later group exactly 3, it is grouping ("1.050" = 1050 in vi).
   Otherwise a single one is a decimal point ("12.5", "1050.5", "0.125" in vi); more are
   refused.
5. With only the decimal separator: once is a decimal ("12,5" in vi); more are refused.
6. Anything else ("abc", "1e3", "12,5,3", "1..2", ".5") is refused with a message quoting
   the text. A separator needs digits on both sides.

Range and precision (maximum, negative, decimal places) are the caller's to check.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext as _

DIGITS = frozenset("0123456789")
MINUS_SIGNS = ("-", "\u2212")


def count_text(count: int) -> str:
    """A count as a message shows it: grouped in the active language ("1.296" in vi)."""
    return formats.number_format(count, force_grouping=True)


def saved_text(template: str, count: int) -> str:
    """The message after a save of `count` rows: `template` ("Saved %(count)s scores.") with
    the count grouped, or that nothing changed (a save of values equal to those stored)."""
    if not count:
        return gettext("Nothing changed.")
    return template % {"count": count_text(count)}


def separators(language: str | None = None) -> tuple[str, str]:
    """(group, decimal) separators of `language`, the active language by default: the same
    ones `ranking.format_points` writes."""
    decimal = formats.get_format("DECIMAL_SEPARATOR", lang=language)
    return ("," if decimal == "." else "."), decimal


def parse_number(text: str | None, *, language: str | None = None) -> Decimal | None:
    """The number `text` shows in `language` (the active one by default), or None when it is
    empty. Raises ValueError, with a translated message quoting the text, when it is not a
    number or is ambiguous (see the module's rule)."""
    if text is None:
        return None
    shown = str(text).strip()
    body = "".join(shown.split())
    if not body:
        return None
    sign = ""
    if body.startswith(MINUS_SIGNS):
        sign, body = "-", body[1:]
    group, decimal = separators(language)
    digits = _plain_digits(body, group, decimal)
    if digits is None:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown})
    return Decimal(sign + digits)


def _plain_digits(body: str, group: str, decimal: str) -> str | None:
    """`body` (no sign) as "1234.5", or None when the rule refuses it."""
    if not body or not set(body) <= DIGITS | {group, decimal}:
        return None
    if group in body and decimal in body:
        whole, _sep, fraction = body.rpartition(decimal)
        if decimal in whole or group in fraction or not _is_grouped(whole, group):
            return None
        return _joined(whole.replace(group, ""), fraction)
    if group in body:
        if _is_grouped(body, group):
            return body.replace(group, "")
        whole, _sep, fraction = body.partition(group)
        return None if group in fraction else _joined(whole, fraction)
    if decimal in body:
        whole, _sep, fraction = body.partition(decimal)
        return None if decimal in fraction else _joined(whole, fraction)
    return body


def _is_grouped(text: str, group: str) -> bool:
    """ "1.234.567" with "." as group: a first group of 1-3 digits not starting with 0, then
    groups of exactly 3 digits."""
    first, *rest = text.split(group)
    return (
        bool(rest)
        and 1 <= len(first) <= 3
        and not first.startswith("0")
        and all(len(part) == 3 for part in rest)
    )


def _joined(whole: str, fraction: str) -> str | None:
    return f"{whole}.{fraction}" if whole and fraction else None
