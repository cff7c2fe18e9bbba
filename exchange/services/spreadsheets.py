"""What the CSV exports share: the dialect a French spreadsheet reads, and text cells it will not
run as formulas."""

from __future__ import annotations

import csv


# Excel set to French reads `;`-separated files and needs the BOM to know they are UTF-8;
# LibreOffice asks, and takes both.
class FrenchExcel(csv.excel):
    delimiter = ";"
    lineterminator = "\r\n"


CSV_DIALECT = FrenchExcel


def cell(text: str) -> str:
    """A text cell a spreadsheet will not run: no leading =, +, -, @ (formula injection)."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
