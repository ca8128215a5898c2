from hypothesis import given
from hypothesis import strategies as st

from lapor.contracts.report import CATEGORIES, TARGET_AGENCY
from services.routing.adapters.agencies import load_rules
from services.routing.domain import NATIONAL_ADMIN, decide

RULES = load_rules()
GOVERNMENTS = {"32": "pemprov-32", "32.73": "pemkot-3273", "32.04": "pemkab-3204"}
AGENCIES = {"pemprov-32", "pemkot-3273", "pemkab-3204", "pemkot-3273-disdukcapil", "ojk"}


def route(category, region, agencies=AGENCIES, **kwargs):
    return decide(category, region, RULES, GOVERNMENTS.get, agencies.__contains__, **kwargs)


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
    st.one_of(st.none(), st.sampled_from(sorted(AGENCIES)), st.from_regex(TARGET_AGENCY)),
    st.booleans(),
)
def test_every_report_gets_an_owner_that_exists(category, region, agencies, target, inferred):
    decision = route(category, region, agencies, target=target, inferred=inferred)
    assert decision.agency_code == NATIONAL_ADMIN or decision.agency_code in agencies
    assert decision.reason and decision.reason_id and decision.reason != decision.reason_id
    assert 0 <= decision.confidence <= 1


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


def test_every_rule_gives_its_reason_in_indonesian_too():
    for rule in RULES.values():
        assert rule.why_id and rule.why_id != rule.why, rule.category


def test_reasons_are_in_english_and_indonesian():
    decision = route("kependudukan", "32.73.01")
    assert decision.reason.startswith("civil registration")
    assert decision.reason_id.startswith("administrasi kependudukan")
    coordinator = route("lainnya", "32.73")
    assert coordinator.reason == "the coordinator of the report's regency or city verifies it"
    assert coordinator.reason_id == "koordinator kabupaten/kota lokasi laporan memverifikasinya"
    inferred = route("kependudukan", "32.73.01", inferred=True)
    assert "dengan keyakinan 0,50, di bawah 0,60" in inferred.reason_id
    assert "with confidence 0.50, below 0.60" in inferred.reason


# the reporter's target agency ("instansi tujuan")
WITH_DINKES = AGENCIES | {"pemkot-3273-dinkes"}


def test_the_reporter_naming_the_rule_s_agency_makes_it_surer():
    decision = route("kependudukan", "32.73.01", target="pemkot-3273-disdukcapil")
    assert decision.agency_code == "pemkot-3273-disdukcapil"
    assert decision.confidence == 0.95  # 1 - (1 - 0.9)(1 - 0.5)
    assert "the reporter named it as the target agency too" in decision.reason
    assert "pelapor juga memilihnya sebagai instansi tujuan" in decision.reason_id


def test_the_reporter_confirms_an_inferred_category_s_agency():
    alone = route("kependudukan", "32.73.01", inferred=True)
    assert alone.agency_code == "pemkot-3273"  # unsure: the coordinator verifies first
    confirmed = route("kependudukan", "32.73.01", inferred=True, target="pemkot-3273-disdukcapil")
    assert (confirmed.agency_code, confirmed.confidence) == ("pemkot-3273-disdukcapil", 0.75)


def test_a_reporter_who_disagrees_with_the_rule_makes_the_coordinator_verify_first():
    decision = route("kependudukan", "32.73.01", WITH_DINKES, target="pemkot-3273-dinkes")
    assert decision.agency_code == "pemkot-3273"
    assert decision.confidence == 0.45 < 0.6
    for reason in (decision.reason, decision.reason_id):
        assert "pemkot-3273-disdukcapil" in reason and "pemkot-3273-dinkes" in reason
    assert "but the reporter named pemkot-3273-dinkes as the target agency" in decision.reason
    assert "namun pelapor memilih pemkot-3273-dinkes" in decision.reason_id
    # a lower threshold lets the rule decide, still saying what the reporter chose
    lax = route("kependudukan", "32.73.01", WITH_DINKES, target="pemkot-3273-dinkes",
                min_confidence=0.4)  # fmt: skip
    assert lax.agency_code == "pemkot-3273-disdukcapil" and "pemkot-3273-dinkes" in lax.reason


def test_the_reporter_s_agency_alone_is_verified_by_the_coordinator_first():
    decision = route("lainnya", "32.73", WITH_DINKES, target="pemkot-3273-dinkes")
    assert (decision.agency_code, decision.confidence) == ("pemkot-3273", 0.5)
    assert "pemkot-3273-dinkes is the likeliest agency (named by the reporter" in decision.reason
    assert "pemkot-3273-dinkes paling mungkin berwenang (dipilih pelapor" in decision.reason_id
    trusting = route("lainnya", "32.73", WITH_DINKES, target="pemkot-3273-dinkes",
                     min_confidence=0.5)  # fmt: skip
    assert trusting.agency_code == "pemkot-3273-dinkes"


def test_an_unknown_target_agency_never_blocks_routing():
    without = route("kependudukan", "32.73.01")
    decision = route("kependudukan", "32.73.01", target="pemkot-9999-dinas-tidak-ada")
    assert (decision.agency_code, decision.confidence) == (without.agency_code, 0.9)
    assert decision.reason.endswith(
        "; the reporter named pemkot-9999-dinas-tidak-ada, which is not in the catalogue"
    )
    assert "yang tidak ada di katalog" in decision.reason_id
    nowhere = route("lainnya", "99", set(), target="pemkot-9999")
    assert nowhere.agency_code == NATIONAL_ADMIN


def test_naming_the_coordinator_itself_keeps_it():
    decision = route("lainnya", "32.73", target="pemkot-3273")
    assert decision.agency_code == "pemkot-3273"
    assert "the reporter named it as the target agency too" in decision.reason
