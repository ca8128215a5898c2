"""The server-rendered SVG bar charts of the statistics pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from services.gateway.web.charts import LABEL_CHARS, Bar, Chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg())


def _widths(root: ET.Element) -> list[float]:
    return [float(r.get("width")) for r in root.iter(f"{SVG}rect")]


def test_the_svg_parses_and_is_labelled_by_its_title_and_desc():
    chart = Chart("kpi-received", "Laporan diterima", [Bar("pemkot-3273", 12)], desc="Per instansi")
    root = _parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Laporan diterima" and desc.text == "Per instansi"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.get("id") == "kpi-received-title"


def test_bars_are_proportional_to_their_values():
    chart = Chart("c", "t", [Bar("a", 40), Bar("b", 20), Bar("c", 10), Bar("d", 0)])
    widths = _widths(_parse(chart))
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 2)
    assert widths[2] == pytest.approx(widths[0] / 4)
    assert widths[3] == 0


def test_a_fixed_scale_makes_percentages_comparable_across_charts():
    half = Chart("p", "t", [Bar("a", 50.0)], unit="%", max_value=100)
    full = Chart("q", "t", [Bar("a", 100.0)], unit="%", max_value=100)
    assert _widths(_parse(half))[0] == pytest.approx(_widths(_parse(full))[0] / 2)
    assert half.rows == [("a", "50%")]


def test_each_bar_has_a_title_with_its_full_label_and_value():
    long = "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung, Jawa Barat"
    chart = Chart("c", "t", [Bar(long, 7.5)], unit=" jam")
    root = _parse(chart)
    group = root.find(f"{SVG}g")
    assert group.find(f"{SVG}title").text == f"{long}: 7.5 jam"
    label = group.findall(f"{SVG}text")[0].text
    assert len(label) == LABEL_CHARS and label.endswith("…")


def test_missing_values_are_drawn_empty_and_shown_as_a_dash():
    chart = Chart("c", "t", [Bar("a", None), Bar("b", 5)])
    missing, five = _widths(_parse(chart))
    assert missing == 0 and five > 0
    assert chart.rows == [("a", "–"), ("b", "5")]


def test_empty_data_gives_a_valid_svg_that_says_so():
    chart = Chart("c", "Diterima", [], empty_text="Belum ada data")
    root = _parse(chart)
    assert _widths(root) == []
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Belum ada data"]
    assert root.find(f"{SVG}desc").text == "Belum ada data"
    assert chart.rows == []


def test_all_zero_values_do_not_divide_by_zero():
    assert _widths(_parse(Chart("c", "t", [Bar("a", 0), Bar("b", 0)]))) == [0.0, 0.0]


def test_labels_are_escaped():
    chart = Chart("c", 'A <b> & "c"', [Bar("<script>x</script>", 1)])
    root = _parse(chart)  # would not parse if not escaped
    assert root.find(f"{SVG}title").text == 'A <b> & "c"'
    assert "<script>" not in chart.svg()


def test_the_default_desc_lists_the_numbers():
    chart = Chart("c", "t", [Bar("a", 3), Bar("b", 1)])
    assert _parse(chart).find(f"{SVG}desc").text == "a: 3; b: 1"
