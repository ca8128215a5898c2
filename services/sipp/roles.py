"""Which role an agency's account may have (pure rules; no I/O).

An account acts for one agency, in one of these roles (the actor roles of
`lapor.contracts.case`, less `system` and `reporter`, which no token gets):

- national_admin: admin nasional; only an account of KemenPANRB;
- coordinator: admin instansi of a government, ministry or national agency;
- officer: pejabat penghubung of a unit (an OPD);
- agency_system: an agency's own system, integrated system to system.

>>> default_role("pemkot-3273-disdukcapil", "unit")
'officer'
>>> role_error("officer", "pemkot-3273", "city")
'an officer account belongs to a unit, and pemkot-3273 is a city'
"""

from __future__ import annotations

NATIONAL_ADMIN_AGENCY = "kemenpanrb"
ROLES = ("national_admin", "coordinator", "officer", "agency_system")
GOVERNING_KINDS = ("ministry", "national_agency", "province", "regency", "city")


def default_role(agency_code: str, kind: str) -> str:
    """The role an account of this agency gets when none is asked for: the
    one admin accounts had before roles existed."""
    if agency_code == NATIONAL_ADMIN_AGENCY:
        return "national_admin"
    return "officer" if kind == "unit" else "coordinator"


def role_error(role: str, agency_code: str, kind: str) -> str | None:
    """Why an account of `agency_code` (of `kind`) may not have `role`, or None."""
    if role not in ROLES:
        return f"unknown role {role!r}; one of {', '.join(ROLES)}"
    if role == "national_admin" and agency_code != NATIONAL_ADMIN_AGENCY:
        return f"only {NATIONAL_ADMIN_AGENCY} has national_admin accounts"
    if role == "coordinator" and kind not in GOVERNING_KINDS:
        return (
            "a coordinator account belongs to a government, ministry or national agency, "
            f"and {agency_code} is a {kind}"
        )
    if role == "officer" and kind != "unit":
        return f"an officer account belongs to a unit, and {agency_code} is a {kind}"
    return None
