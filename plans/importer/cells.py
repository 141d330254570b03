"""Cells as the importer reads them: any cell as text, and numbers written as people write them
(12, "12,5", "1 250", "45%")."""

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kvsp.core.exports import FORMULA_STARTS


def cell_text(value) -> str:
    """A cell as text: numbers without a spurious ".0", dates as dd.mm.yyyy, and the apostrophe
    the export put before formula-looking text taken off again."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.hour or value.minute or value.second:
            return value.strftime("%d.%m.%Y %H:%M")
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]
    return text


class NumberError(ValueError):
    pass


NUMBER_LIMIT = Decimal(10) ** 10  # max_digits=12, decimal_places=2


def parse_number(value) -> Decimal | None:
    """12, 12.5, "12,5", "1 250", "1.250,5" or "45%" as a decimal with two places; ``None`` when
    empty; NumberError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise NumberError(str(value))
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        text = cell_text(value)
        cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).rstrip("%")
        if "," in cleaned and "." in cleaned:
            if cleaned.rfind(",") > cleaned.rfind("."):
                cleaned = cleaned.replace(".", "").replace(",", ".")
            else:
                cleaned = cleaned.replace(",", "")
        else:
            cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)", cleaned):
            raise NumberError(text)
        try:
            number = Decimal(cleaned)
        except InvalidOperation as error:
            raise NumberError(text) from error
    if not number.is_finite():
        raise NumberError(str(value))
    if abs(number) >= NUMBER_LIMIT:  # before quantize, which fails on numbers this large
        raise NumberError(str(value))
    number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(number) >= NUMBER_LIMIT:
        raise NumberError(str(value))
    return number
