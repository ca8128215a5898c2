import io

import openpyxl

from lapor import standard_template as template
from services.sipp.adapters import spreadsheet
from services.sipp.demo.build import demo_standards


def _rows():
    return [template.to_row(a, s, c) for a, s, c in demo_standards()]


def test_export_then_import_gives_the_same_standards_in_csv_and_xlsx():
    expected = [(a, s, c) for a, s, c in demo_standards()]
    for writer in (spreadsheet.write_csv, spreadsheet.write_xlsx):
        header, rows = spreadsheet.read(writer(list(template.COLUMNS), _rows()))
        valid, errors = template.parse(header, rows)
        assert errors == []
        assert [(r.agency_code, r.slug, r.content) for r in valid] == expected


def test_errors_name_the_row_and_column():
    rows = _rows()[:4]
    col = template.COLUMNS.index
    rows[0][col("completion_time_value")] = "dua"
    rows[1][col("category")] = "gosip"
    rows[2][col("cost_amount")] = "50000"
    rows[2][col("cost_legal_basis")] = ""
    rows[3][col("decree_date")] = "31/02/2026"
    header, parsed = spreadsheet.read(spreadsheet.write_csv(list(template.COLUMNS), rows))
    valid, errors = template.parse(header, parsed)
    assert valid == []
    assert [(e.row, e.column) for e in errors] == [
        (2, "completion_time_value"),
        (3, "category"),
        (4, "cost_legal_basis"),
        (5, "decree_date"),
    ]


def test_a_missing_column_is_reported_on_the_header():
    valid, errors = template.parse(["agency_code", "slug"], [["a", "b"]])
    assert valid == [] and errors[0].row == 1 and errors[0].column == "service_name"


def test_date_cells_of_a_real_spreadsheet_are_read_as_dates():
    book = openpyxl.Workbook()
    book.active.append(list(template.COLUMNS))
    row = _rows()[0]
    import datetime

    row[template.COLUMNS.index("decree_date")] = datetime.datetime(2026, 1, 5)
    row[template.COLUMNS.index("staff_count")] = 12
    book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    valid, errors = template.parse(*spreadsheet.read(out.getvalue()))
    assert errors == [] and valid[0].content["decree"]["date"] == "2026-01-05"
