"""CSV and XLSX files of the standards template (lapor/standard_template.py)."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 5000


class UnreadableFile(ValueError):
    pass


def read(content: bytes) -> tuple[list[str], list[list[str]]]:
    """The header and data rows of a CSV (UTF-8, comma or semicolon) or XLSX file."""
    if content.startswith(XLSX_MAGIC):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("The file is neither XLSX nor UTF-8 CSV.") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise UnreadableFile("The file is empty.")
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile(f"At most {MAX_ROWS} rows per file.")
    return rows[0], rows[1:]


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableFile("The XLSX file cannot be read.") from exc
    sheet = book.worksheets[0]
    rows = [
        ["" if v is None else _cell_text(v) for v in row]
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
    ]
    book.close()
    if not rows:
        raise UnreadableFile("The sheet is empty.")
    if len(rows) > MAX_ROWS + 1:
        raise UnreadableFile(f"At most {MAX_ROWS} rows per file.")
    return rows[0], rows[1:]


def _cell_text(value) -> str:
    if hasattr(value, "date") and hasattr(value, "isoformat"):  # a date cell
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "standar_pelayanan"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
