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


def test_an_explicit_rule_that_finds_its_agency_is_sure():
    decision = route("kependudukan", "32.73.01")
    assert decision.confidence >= 0.6


def test_an_inferred_category_goes_to_the_coordinator_of_the_region_first():
    decision = decide(
        "kependudukan", "32.73.01", RULES, GOVERNMENTS.get, AGENCIES.__contains__, inferred=True
    )
    assert decision.agency_code == "pemkot-3273"
    assert decision.confidence < 0.6
    assert "pemkot-3273-disdukcapil" in decision.reason and "inferred" in decision.reason


def test_other_topics_and_region_only_matches_have_low_confidence():
    decision = route("lainnya", "32.73")
    assert (decision.agency_code, decision.confidence) == ("pemkot-3273", 0.3)
    assert route("lainnya", "99").confidence < route("lainnya", "32.73").confidence


def test_the_threshold_is_configurable():
    strict = decide("perbankan", "32.73", RULES, GOVERNMENTS.get, AGENCIES.__contains__,
                    min_confidence=0.95)  # fmt: skip
    assert strict.agency_code == "pemkot-3273"
