from hypothesis import given
from hypothesis import strategies as st

from lapor.contracts.report import CATEGORIES
from services.routing.adapters.agencies import load_rules
from services.routing.domain import NATIONAL_ADMIN, decide

RULES = load_rules()
GOVERNMENTS = {"32": "pemprov-32", "32.73": "pemkot-3273", "32.04": "pemkab-3204"}
AGENCIES = {"pemprov-32", "pemkot-3273", "pemkab-3204", "pemkot-3273-disdukcapil", "ojk"}


def route(category, region, agencies=AGENCIES):
    return decide(category, region, RULES, GOVERNMENTS.get, agencies.__contains__)


def test_a_unit_in_the_reports_city_when_the_rule_names_one():
    decision = route("kependudukan", "32.73.01.1001")
    assert decision.agency_code == "pemkot-3273-disdukcapil"
    assert "Disdukcapil" in decision.reason


def test_a_national_agency_when_the_rule_names_one():
    assert route("perbankan", "32.73").agency_code == "ojk"


def test_the_city_coordinator_when_the_unit_is_not_in_the_catalogue():
    decision = route("kesehatan", "32.73")
    assert decision.agency_code == "pemkot-3273"
    assert "coordinator" in decision.reason


def test_the_province_coordinator_for_a_province_wide_report():
    assert route("kependudukan", "32").agency_code == "pemprov-32"


def test_the_national_admin_when_nothing_else_exists():
    assert route("kependudukan", "32.73", agencies=set()).agency_code == NATIONAL_ADMIN
    assert route("lainnya", "99.01").agency_code == NATIONAL_ADMIN


@given(
    st.sampled_from(CATEGORIES),
    st.from_regex(r"\A\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?\Z"),
    st.sets(st.sampled_from(sorted(AGENCIES))),
)
def test_every_report_gets_an_owner_that_exists(category, region, agencies):
    decision = route(category, region, agencies)
    assert decision.agency_code == NATIONAL_ADMIN or decision.agency_code in agencies
    assert decision.reason
